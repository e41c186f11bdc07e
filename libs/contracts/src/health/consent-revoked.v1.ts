import { IsISO8601, IsUUID } from 'class-validator';
import { IsPseudonym } from './health-fields';

export const HEALTH_CONSENT_REVOKED_V1 = 'cn.shuanglai.health.consent.revoked.v1';

/** The patient withdrew a consent: its grantees must purge what they hold under it. Sent like the grant. */
export class ConsentRevokedV1 {
  @IsUUID()
  consentId!: string;

  @IsPseudonym()
  patient!: string;

  @IsISO8601({ strict: true })
  revokedAt!: string;
}
