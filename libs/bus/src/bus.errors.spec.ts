import { QueryFailedError } from 'typeorm';
import { DatabaseUnavailableError } from '@app/database';
import { BusError, classifyFailure } from './bus.errors';

const sqlError = (code: string) => new QueryFailedError('select 1', [], Object.assign(new Error('pg'), { code }));

describe(classifyFailure.name, () => {
  it('follows the flag of a BusError', () => {
    expect(classifyFailure(new BusError('BUS.INVALID_PAYLOAD', 'x'))).toBe('permanent');
    expect(classifyFailure(new BusError('BUS.HANDLER_FAILED', 'x', true))).toBe('transient');
  });

  it("treats a domain error as permanent unless its kind is 'unavailable'", () => {
    expect(classifyFailure({ code: 'TALENT.REVOKED', kind: 'conflict' })).toBe('permanent');
    expect(classifyFailure({ code: 'X.DOWN', kind: 'unavailable' })).toBe('transient');
  });

  it('retries serialization failures and deadlocks a few times', () => {
    expect(classifyFailure(sqlError('40001'))).toBe('transient');
    expect(classifyFailure(sqlError('40P01'))).toBe('transient');
  });

  it('waits out a database that is unreachable or shutting down', () => {
    expect(classifyFailure(sqlError('57P01'))).toBe('infrastructure');
    expect(classifyFailure(sqlError('08006'))).toBe('infrastructure');
    expect(classifyFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      'infrastructure',
    );
  });

  // Regression: a pool timeout ("timeout exceeded when trying to connect", no SQLSTATE) was unknown, so counted.
  it('waits out a pool that gives no connection, and a server with too many clients', () => {
    expect(classifyFailure(new DatabaseUnavailableError(new Error('timeout exceeded when trying to connect')))).toBe(
      'infrastructure',
    );
    expect(classifyFailure(sqlError('53300'))).toBe('infrastructure');
    expect(classifyFailure(sqlError('57P03'))).toBe('infrastructure');
  });

  it('calls anything else unknown (retried, then dead-lettered)', () => {
    expect(classifyFailure(sqlError('23505'))).toBe('unknown');
    expect(classifyFailure(new TypeError('x is undefined'))).toBe('unknown');
    expect(classifyFailure('a string')).toBe('unknown');
  });
});
