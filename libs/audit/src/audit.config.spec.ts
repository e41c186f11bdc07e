import { ConfigError, loadServiceConfig } from '@app/config';
import { AuditConfig } from './audit.config';

describe(AuditConfig.name, () => {
  it('anchors every five minutes by default', () => {
    expect(loadServiceConfig(AuditConfig, {})).toEqual({ AUDIT_ANCHOR_INTERVAL_MS: 300_000 });
  });

  it('takes an interval in milliseconds from the environment', () => {
    expect(loadServiceConfig(AuditConfig, { AUDIT_ANCHOR_INTERVAL_MS: '60000' }).AUDIT_ANCHOR_INTERVAL_MS).toBe(60_000);
  });

  it.each(['soon', '10', '1.5', '999999999'])('refuses %s, naming the variable', (value) => {
    const load = () => loadServiceConfig(AuditConfig, { AUDIT_ANCHOR_INTERVAL_MS: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/AUDIT_ANCHOR_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000/);
  });
});
