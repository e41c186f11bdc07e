import { ConfigError } from '@app/config';

/** Settings of this service beyond the shared AppConfig, read once at start-up. */
export class HealthConfig {
  constructor(
    /** How long a booking request waits for the slot's city before it expires. */
    readonly bookingTimeoutMs: number,
  ) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): HealthConfig {
    const raw = env.HEALTH_BOOKING_TIMEOUT_MS;
    const timeout = raw === undefined || raw === '' ? 10 * 60_000 : Number(raw);
    if (!Number.isInteger(timeout) || timeout < 1000) {
      throw new ConfigError('HEALTH_BOOKING_TIMEOUT_MS must be an integer of at least 1000 (milliseconds)');
    }
    return new HealthConfig(timeout);
  }
}
