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

  it('names a missing KAFKA_BROKERS', () => {
    const result = run('talent', { REGION: 'laixi', DATABASE_URL: 'postgres://x@127.0.0.1/x' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^talent: invalid configuration: KAFKA_BROKERS must be a comma-separated list/);
  });
});
