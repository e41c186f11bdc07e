import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { TalentAppModule } from '../apps/talent/src/app.module';
import { ProbeService } from '@app/bus';
import { dropDatabase } from '@app/database';
import { repoRoot } from '@app/embedded';
import { TestService, eventually, startTestService, testRegions, testServiceEnv } from '@app/testing';

const STREAMS = ['s0', 's1', 's2', 's3'];

/** What the receiving database holds: probes per stream, and whether each stream was applied in order, once. */
async function received(databaseUrl: string) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      stream: string;
      count: number;
      distinct_n: number;
      max_n: number;
      in_order: boolean;
    }>(
      `select stream, count(*)::int as count, count(distinct n)::int as distinct_n, max(n) as max_n,
              bool_and(in_order) as in_order
         from (select stream, n, n = coalesce(lag(n) over (partition by origin, stream order by apply_order), 0) + 1
                 as in_order from bus_probe) p
        group by stream order by stream`,
    );
    const total = rows.reduce((sum, row) => sum + row.count, 0);
    const [{ inbox }] = (await client.query<{ inbox: number }>('select count(*)::int as inbox from bus_inbox')).rows;
    return { total, inbox, streams: rows };
  } catch {
    return { total: 0, inbox: 0, streams: [] };
  } finally {
    await client.end();
  }
}

/** Publishes `perStream` probes on each stream in transactions of `chunk`, as a steady flow rather than one burst. */
async function publish(service: TestService, perStream: number, chunk: number, pauseMs = 50): Promise<void> {
  const probes = service.app.get(ProbeService);
  for (let sent = 0; sent < perStream; sent += chunk) {
    await Promise.all(STREAMS.map((stream) => probes.send(Math.min(chunk, perStream - sent), stream)));
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

function expectAllOnceInOrder(state: Awaited<ReturnType<typeof received>>, perStream: number) {
  expect(state.streams).toEqual(
    STREAMS.map((stream) => ({ stream, count: perStream, distinct_n: perStream, max_n: perStream, in_order: true })),
  );
  expect(state.inbox).toBe(perStream * STREAMS.length);
}

describe('the bus when the consuming process is killed with SIGKILL mid-stream', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let laixi: TestService;
  let env: Record<string, string>;
  let child: ChildProcess | undefined;
  let output = '';

  const startConsumer = () => {
    const main = join(repoRoot(), 'dist', 'apps', 'talent', 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
    const process = spawn(globalThis.process.execPath, [main], {
      cwd: repoRoot(),
      env: { PATH: globalThis.process.env.PATH, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    process.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    return process;
  };

  beforeAll(async () => {
    laixi = await startTestService({
      service: 'talent',
      regions,
      region: 'laixi',
      appModule: (config) => TalentAppModule.register(config),
    });
    env = await testServiceEnv({
      service: 'talent',
      regions,
      region: 'laiyang',
      env: { HEARTBEAT_INTERVAL_MS: '60000' },
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await laixi?.close();
    if (env) await dropDatabase(env.DATABASE_URL);
  });

  it('applies every one of 10,000 events exactly once, in order per key, after a restart', async () => {
    child = startConsumer();
    const publishing = publish(laixi, 2500, 250);

    await eventually(
      async () => ((await received(env.DATABASE_URL)).total >= 2000 ? true : undefined),
      120_000,
      () => `2,000 applied (consumer's stderr: ${output})`,
    );
    const killed = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await killed;
    const atKill = (await received(env.DATABASE_URL)).total;
    expect(atKill).toBeLessThan(10_000);

    child = startConsumer();
    await publishing;
    const state = await eventually(
      async () => {
        const now = await received(env.DATABASE_URL);
        return now.total >= 10_000 ? now : undefined;
      },
      150_000,
      'all 10,000 applied',
    );
    expectAllOnceInOrder(state, 2500);
  });
});
