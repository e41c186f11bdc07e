import { IsInt, Max, Min } from 'class-validator';
import { RETENTION_DAYS } from '@app/audit';

/** Settings of this service beyond the shared AppConfig, read once at start-up (`loadServiceConfig`). */
export class LabConfig {
  /** Days a peer's lab report (patient pseudonym, results) is kept after it was reported. */
  @IsInt({ message: RETENTION_DAYS('LAB_REPLICA_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('LAB_REPLICA_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('LAB_REPLICA_RETENTION_DAYS') })
  LAB_REPLICA_RETENTION_DAYS: number = 365;

  /** Days a reuse query and its answers (who asked about which patient) are kept (PIPL art. 56: ≥ 3 years). */
  @IsInt({ message: RETENTION_DAYS('LAB_REUSE_QUERY_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('LAB_REUSE_QUERY_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('LAB_REUSE_QUERY_RETENTION_DAYS') })
  LAB_REUSE_QUERY_RETENTION_DAYS: number = 1095;

  /** Days a recognition decision (patient pseudonym, price) is kept for settlement. */
  @IsInt({ message: RETENTION_DAYS('LAB_DECISION_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('LAB_DECISION_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('LAB_DECISION_RETENTION_DAYS') })
  LAB_DECISION_RETENTION_DAYS: number = 1095;

  /** Days a health consent the lab follows is kept after its revocation or, unrevoked, after its validity. */
  @IsInt({ message: RETENTION_DAYS('LAB_CONSENT_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('LAB_CONSENT_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('LAB_CONSENT_RETENTION_DAYS') })
  LAB_CONSENT_RETENTION_DAYS: number = 1095;
}
