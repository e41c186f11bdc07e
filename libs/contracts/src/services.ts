/**
 * The microservices; the number is the last digit of each one's default port (region i, service s → 3i0s).
 * `reads` lists the other domains a service consumes, from every region including its own (lab-results learns
 * the patients' consents from health's events).
 */
export const SERVICES = {
  'health-records': { domain: 'health', portDigit: 1, reads: [] },
  'lab-results': { domain: 'lab', portDigit: 2, reads: ['health'] },
  talent: { domain: 'talent', portDigit: 3, reads: [] },
  police: { domain: 'police', portDigit: 4, reads: [] },
  affairs: { domain: 'affairs', portDigit: 5, reads: [] },
  ledger: { domain: 'ledger', portDigit: 6, reads: [] },
} as const satisfies Record<string, { domain: string; portDigit: number; reads: readonly string[] }>;

export type ServiceName = keyof typeof SERVICES;
export type Domain = (typeof SERVICES)[ServiceName]['domain'];

export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

/**
 * The topics one service instance of `region` consumes: its own domain's topics of every peer, and the topics of
 * the domains it reads of every region, own included; of each, the broadcast topic and the one directed to it.
 */
export function consumedTopics(service: ServiceName, region: string, regions: readonly string[]): string[] {
  const { domain, reads } = SERVICES[service];
  const sources: [string, string][] = [
    ...regions.filter((r) => r !== region).map((r): [string, string] => [r, domain]),
    ...(reads as readonly string[]).flatMap((read) => regions.map((r): [string, string] => [r, read])),
  ];
  return sources.flatMap(([origin, d]) => [`${origin}.${d}`, `${origin}.${d}.${region}`]);
}

/** The domains whose events a service consumes: its own and the ones it reads. */
export function consumedDomains(service: ServiceName): string[] {
  return [SERVICES[service].domain, ...SERVICES[service].reads];
}
