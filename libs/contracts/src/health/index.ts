import { ConsentGrantedV1, HEALTH_CONSENT_GRANTED_V1 } from './consent-granted.v1';
import { ConsentRevokedV1, HEALTH_CONSENT_REVOKED_V1 } from './consent-revoked.v1';

export * from './consent-granted.v1';
export * from './consent-revoked.v1';
export * from './health-fields';

/** The health domain's event types and their payload classes. */
export const HEALTH_EVENT_TYPES = {
  [HEALTH_CONSENT_GRANTED_V1]: ConsentGrantedV1,
  [HEALTH_CONSENT_REVOKED_V1]: ConsentRevokedV1,
} as const;
