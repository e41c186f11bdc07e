import { checkedRule } from './retention-rule';

const rule = { table: 'replica_document', timeColumn: 'updated_at', setting: 'X_RETENTION_DAYS', days: 30, holds: 'x' };

describe(checkedRule.name, () => {
  it('names a rule after its table unless it has a name', () => {
    expect(checkedRule(rule).name).toBe('replica_document');
    expect(checkedRule({ ...rule, name: 'replicas (old)' }).name).toBe('replicas (old)');
  });

  it('refuses a table or column that is not a plain identifier, and a period under a day', () => {
    expect(() => checkedRule({ ...rule, table: 'replica_document; drop table audit_log' })).toThrow(/identifier/);
    expect(() => checkedRule({ ...rule, timeColumn: 'coalesce(a, b)' })).toThrow(/identifier/);
    expect(() => checkedRule({ ...rule, days: 0 })).toThrow(/X_RETENTION_DAYS/);
    expect(() => checkedRule({ ...rule, days: 1.5 })).toThrow(/X_RETENTION_DAYS/);
  });
});
