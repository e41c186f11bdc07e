import { IsInt, Min } from 'class-validator';

/** Settings of this service beyond the shared AppConfig, read once at start-up (`loadServiceConfig`). */
export class HealthConfig {
  /** How long a booking request waits for the slot's city before it expires (milliseconds). */
  @IsInt()
  @Min(1000)
  HEALTH_BOOKING_TIMEOUT_MS: number = 10 * 60_000;
}
