import { ConfigError } from '@app/config';
import { HealthConfig } from './health.config';

describe(HealthConfig.name, () => {
  it('waits ten minutes for a booking answer unless told otherwise', () => {
    expect(HealthConfig.fromEnv({}).bookingTimeoutMs).toBe(600_000);
    expect(HealthConfig.fromEnv({ HEALTH_BOOKING_TIMEOUT_MS: '30000' }).bookingTimeoutMs).toBe(30_000);
  });

  it('names the variable when its value is bad', () => {
    expect(() => HealthConfig.fromEnv({ HEALTH_BOOKING_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
    expect(() => HealthConfig.fromEnv({ HEALTH_BOOKING_TIMEOUT_MS: '10' })).toThrow(/HEALTH_BOOKING_TIMEOUT_MS/);
  });
});
