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

  it('keeps each personal-data table for its documented period, in whole days from 1', () => {
    expect(loadServiceConfig(HealthConfig, {})).toMatchObject({
      HEALTH_REPLICA_RETENTION_DAYS: 365,
      HEALTH_BOOKING_RETENTION_DAYS: 365,
      HEALTH_PURGE_RETENTION_DAYS: 1095,
      HEALTH_CONSENT_RETENTION_DAYS: 1095,
    });
    expect(loadServiceConfig(HealthConfig, { HEALTH_REPLICA_RETENTION_DAYS: '90' }).HEALTH_REPLICA_RETENTION_DAYS).toBe(
      90,
    );
    for (const bad of ['0', '-1', '2.5', 'forever', '40000']) {
      expect(() => loadServiceConfig(HealthConfig, { HEALTH_REPLICA_RETENTION_DAYS: bad })).toThrow(
        'HEALTH_REPLICA_RETENTION_DAYS must be a whole number of days from 1 to 36500',
      );
    }
  });
});
