/** The four microservices; the number is the last digit of each one's default port (region i, service s → 3i0s). */
export const SERVICES = {
  'health-records': { domain: 'health', portDigit: 1 },
  'lab-results': { domain: 'lab', portDigit: 2 },
  talent: { domain: 'talent', portDigit: 3 },
  police: { domain: 'police', portDigit: 4 },
} as const;

export type ServiceName = keyof typeof SERVICES;
export type Domain = (typeof SERVICES)[ServiceName]['domain'];

export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];
