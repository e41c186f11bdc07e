import { ConfigError, loadServiceConfig } from '@app/config';
import { AuditConfig } from './audit.config';

describe(AuditConfig.name, () => {
  it('anchors every five minutes and runs the retention job hourly by default', () => {
    expect(loadServiceConfig(AuditConfig, {})).toEqual({
      AUDIT_ANCHOR_INTERVAL_MS: 300_000,
      RETENTION_INTERVAL_MS: 3_600_000,
      RETENTION_BATCH_SIZE: 1000,
      AUDIT_ACCESS_REPORT_RETENTION_DAYS: 1095,
      AUDIT_ANCHOR_RETENTION_DAYS: 90,
      BUS_DEAD_LETTER_RETENTION_DAYS: 90,
    });
  });

  it('takes an interval in milliseconds from the environment', () => {
    expect(loadServiceConfig(AuditConfig, { AUDIT_ANCHOR_INTERVAL_MS: '60000' }).AUDIT_ANCHOR_INTERVAL_MS).toBe(60_000);
  });

  it.each(['soon', '10', '1.5', '999999999'])('refuses %s, naming the variable', (value) => {
    const load = () => loadServiceConfig(AuditConfig, { AUDIT_ANCHOR_INTERVAL_MS: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/AUDIT_ANCHOR_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000/);
  });

  it.each([
    [
      'RETENTION_INTERVAL_MS',
      '10',
      'RETENTION_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000',
    ],
    ['RETENTION_BATCH_SIZE', '0', 'RETENTION_BATCH_SIZE must be a whole number from 1 to 100000'],
    ['AUDIT_ACCESS_REPORT_RETENTION_DAYS', '0', 'AUDIT_ACCESS_REPORT_RETENTION_DAYS must be a whole number of days'],
    ['AUDIT_ANCHOR_RETENTION_DAYS', '0', 'AUDIT_ANCHOR_RETENTION_DAYS must be a whole number of days'],
    ['BUS_DEAD_LETTER_RETENTION_DAYS', 'x', 'BUS_DEAD_LETTER_RETENTION_DAYS must be a whole number of days'],
  ])('refuses a bad %s, naming it', (name, value, message) => {
    expect(() => loadServiceConfig(AuditConfig, { [name]: value })).toThrow(message);
  });
});
