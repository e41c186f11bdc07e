import { ConfigError, loadServiceConfig } from '@app/config';
import { HealthConfig } from './health-records.config';

describe(HealthConfig.name, () => {
  it('waits ten minutes for a booking answer unless told otherwise', () => {
    expect(loadServiceConfig(HealthConfig, {}).HEALTH_BOOKING_TIMEOUT_MS).toBe(600_000);
    expect(loadServiceConfig(HealthConfig, { HEALTH_BOOKING_TIMEOUT_MS: '30000' }).HEALTH_BOOKING_TIMEOUT_MS).toBe(
      30_000,
    );
  });

  it('names the variable when its value is bad', () => {
    expect(() => loadServiceConfig(HealthConfig, { HEALTH_BOOKING_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
    expect(() => loadServiceConfig(HealthConfig, { HEALTH_BOOKING_TIMEOUT_MS: '10' })).toThrow(
      /HEALTH_BOOKING_TIMEOUT_MS/,
    );
    expect(() => loadServiceConfig(HealthConfig, { HEALTH_BOOKING_TIMEOUT_MS: '1500.5' })).toThrow(
      /HEALTH_BOOKING_TIMEOUT_MS/,
    );
  });
});
