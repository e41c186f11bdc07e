import { IsInt, Max, Min } from 'class-validator';
import { RETENTION_DAYS } from '@app/audit';

/** Settings of this service beyond the shared AppConfig, read once at start-up (`loadServiceConfig`). */
export class HealthConfig {
  /** How long a booking request waits for the slot's city before it expires (milliseconds). */
  @IsInt()
  @Min(1000)
  HEALTH_BOOKING_TIMEOUT_MS: number = 10 * 60_000;

  /** Days a peer's document is kept here after its home last changed it (the home keeps the record). */
  @IsInt({ message: RETENTION_DAYS('HEALTH_REPLICA_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('HEALTH_REPLICA_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('HEALTH_REPLICA_RETENTION_DAYS') })
  HEALTH_REPLICA_RETENTION_DAYS: number = 365;

  /** Days bookings (both sides, decided) and slots are kept after the request, decision or start. */
  @IsInt({ message: RETENTION_DAYS('HEALTH_BOOKING_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('HEALTH_BOOKING_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('HEALTH_BOOKING_RETENTION_DAYS') })
  HEALTH_BOOKING_RETENTION_DAYS: number = 365;

  /** Days a confirmed purge (asked or done) is kept: proof of erasure (PIPL art. 56: ≥ 3 years). */
  @IsInt({ message: RETENTION_DAYS('HEALTH_PURGE_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('HEALTH_PURGE_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('HEALTH_PURGE_RETENTION_DAYS') })
  HEALTH_PURGE_RETENTION_DAYS: number = 1095;

  /** Days a consent (and its window) is kept after it ended or was revoked: proof the sharing was lawful. */
  @IsInt({ message: RETENTION_DAYS('HEALTH_CONSENT_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('HEALTH_CONSENT_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('HEALTH_CONSENT_RETENTION_DAYS') })
  HEALTH_CONSENT_RETENTION_DAYS: number = 1095;
}
