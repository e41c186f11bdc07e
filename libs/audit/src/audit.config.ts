import { IsInt, Max, Min } from 'class-validator';

/** The message of a retention period's rule: the variable's name and its range. */
export const RETENTION_DAYS = (name: string) => `${name} must be a whole number of days from 1 to 36500`;

/** The audit library's own settings, read from the environment when a service starts (`loadServiceConfig`). */
export class AuditConfig {
  /** How often each instance anchors its chain's head at the peers: often enough that a truncation shows soon. */
  @IsInt({ message: 'AUDIT_ANCHOR_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000' })
  @Min(1000, { message: 'AUDIT_ANCHOR_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000' })
  @Max(86_400_000, { message: 'AUDIT_ANCHOR_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000' })
  AUDIT_ANCHOR_INTERVAL_MS: number = 300_000;

  /** How often the retention job deletes expired personal data (each service's rules, see RetentionService). */
  @IsInt({ message: 'RETENTION_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000' })
  @Min(1000, { message: 'RETENTION_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000' })
  @Max(86_400_000, { message: 'RETENTION_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000' })
  RETENTION_INTERVAL_MS: number = 3_600_000;

  /** Rows deleted per transaction: each batch holds its row locks briefly. */
  @IsInt({ message: 'RETENTION_BATCH_SIZE must be a whole number from 1 to 100000' })
  @Min(1, { message: 'RETENTION_BATCH_SIZE must be a whole number from 1 to 100000' })
  @Max(100_000, { message: 'RETENTION_BATCH_SIZE must be a whole number from 1 to 100000' })
  RETENTION_BATCH_SIZE: number = 1000;

  /** Days a peer's report of a read of this city's person is kept (PIPL art. 56: processing records ≥ 3 years). */
  @IsInt({ message: RETENTION_DAYS('AUDIT_ACCESS_REPORT_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('AUDIT_ACCESS_REPORT_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('AUDIT_ACCESS_REPORT_RETENTION_DAYS') })
  AUDIT_ACCESS_REPORT_RETENTION_DAYS: number = 1095;

  /** Days an anchor (of a peer's chain, or a peer's acknowledgement of ours) is kept once a later one supersedes it. */
  @IsInt({ message: RETENTION_DAYS('AUDIT_ANCHOR_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('AUDIT_ANCHOR_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('AUDIT_ANCHOR_RETENTION_DAYS') })
  AUDIT_ANCHOR_RETENTION_DAYS: number = 90;

  /** Days a resolved dead letter (a refused event's payload, pseudonyms) is kept after it was resolved. */
  @IsInt({ message: RETENTION_DAYS('BUS_DEAD_LETTER_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('BUS_DEAD_LETTER_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('BUS_DEAD_LETTER_RETENTION_DAYS') })
  BUS_DEAD_LETTER_RETENTION_DAYS: number = 90;
}
