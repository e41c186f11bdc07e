import { IsInt, Max, Min } from 'class-validator';

/** The audit library's own settings, read from the environment when a service starts (`loadServiceConfig`). */
export class AuditConfig {
  /** How often each instance anchors its chain's head at the peers: often enough that a truncation shows soon. */
  @IsInt({ message: 'AUDIT_ANCHOR_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000' })
  @Min(1000, { message: 'AUDIT_ANCHOR_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000' })
  @Max(86_400_000, { message: 'AUDIT_ANCHOR_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000' })
  AUDIT_ANCHOR_INTERVAL_MS: number = 300_000;
}
