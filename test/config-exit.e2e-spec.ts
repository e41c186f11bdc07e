import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NAMES } from '@app/contracts';
import { repoRoot } from '@app/embedded';

/** Runs the built service entry points (`npm test` builds before it tests). */
describe('a service started with a bad configuration', () => {
  const run = (service: string, env: Record<string, string>) => {
    const main = join(repoRoot(), 'dist', 'apps', service, 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
    const { PATH, HOME } = process.env;
    return spawnSync(process.execPath, [main], { cwd: repoRoot(), env: { PATH, HOME, ...env }, encoding: 'utf8' });
  };

  it.each(SERVICE_NAMES)('%s stops with one line naming the variable and a non-zero exit code', (service) => {
    const result = run(service, { REGION: 'qingdao', DATABASE_URL: 'postgres://x@127.0.0.1/x', KAFKA_BROKERS: 'h:1' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      `${service}: invalid configuration: REGION must be one of laixi, laiyang (from config/regions.json); got 'qingdao'`,
    ]);
  });

  const shared = { REGION: 'laixi', DATABASE_URL: 'postgres://x@127.0.0.1/x', KAFKA_BROKERS: 'h:1' };

  it.each([
    ['health-records', { HEALTH_BOOKING_TIMEOUT_MS: '5' }, 'HEALTH_BOOKING_TIMEOUT_MS must not be less than 1000'],
    ['talent', { TALENT_CONFIG_FILE: 'config/none.json' }, 'TALENT_CONFIG_FILE: cannot read'],
    ['police', { POLICE_CATALOGUE_FILE: 'config/none.json' }, 'POLICE_CATALOGUE_FILE'],
    ['affairs', { AFFAIRS_MATTERS_FILE: 'config/none.json' }, 'AFFAIRS_MATTERS_FILE'],
    ['lab-results', { AUDIT_ANCHOR_INTERVAL_MS: 'soon' }, 'AUDIT_ANCHOR_INTERVAL_MS'],
    [
      'health-records',
      { HEALTH_REPLICA_RETENTION_DAYS: '0' },
      'HEALTH_REPLICA_RETENTION_DAYS must be a whole number of days from 1 to 36500',
    ],
    [
      'lab-results',
      { LAB_REPLICA_RETENTION_DAYS: 'forever' },
      'LAB_REPLICA_RETENTION_DAYS must be a whole number of days from 1 to 36500',
    ],
    ['police', { POLICE_FEED_RETENTION_DAYS: '-3' }, 'POLICE_FEED_RETENTION_DAYS must be a whole number of days'],
    ['talent', { TALENT_CLAIM_RETENTION_DAYS: '1.5' }, 'TALENT_CLAIM_RETENTION_DAYS must be a whole number of days'],
    ['talent', { RETENTION_BATCH_SIZE: '0' }, 'RETENTION_BATCH_SIZE must be a whole number from 1 to 100000'],
  ])('%s stops the same way on a bad setting of its own', (service, env, message) => {
    const result = run(service, { ...shared, ...env });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`${service}: invalid configuration: ${message}`);
  });

  it('names a missing KAFKA_BROKERS', () => {
    const result = run('talent', { REGION: 'laixi', DATABASE_URL: 'postgres://x@127.0.0.1/x' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^talent: invalid configuration: KAFKA_BROKERS must be a comma-separated list/);
  });
});
