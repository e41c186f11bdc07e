import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PoliceAppModule } from '../apps/police/src/app.module';
import { ALERT_ESCALATED_V1, AlertStateV1 } from '@app/contracts';
import { dropDatabase } from '@app/database';
import { repoRoot } from '@app/embedded';
import { signDevToken } from '@app/http';
import { TestService, eventually, startTestService, testRegions, testServiceEnv } from '@app/testing';

const MINUTE = 60_000;

async function laixiCounts(databaseUrl: string, alertId: string) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ feed: number; outbox: number; deadlines: number }>(
      `select (select count(*)::int from police_feed where alert_id = $1 and kind = 'escalated') as feed,
              (select count(*)::int from bus_outbox where type = $2 and key = $3) as outbox,
              (select count(*)::int from police_escalation_deadline where alert_id = $1) as deadlines`,
      [alertId, ALERT_ESCALATED_V1, `alert/${alertId}`],
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

describe('police escalation when the raising service is killed and restarted while it waits', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let laiyang: TestService;
  let env: Record<string, string>;
  let child: ChildProcess | undefined;
  let output = '';

  const url = () => `http://127.0.0.1:${env.PORT}`;
  const start = async (clockOffsetMs: number) => {
    const main = join(repoRoot(), 'dist', 'apps', 'police', 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
    child = spawn(process.execPath, [main], {
      cwd: repoRoot(),
      env: { PATH: process.env.PATH, ...env, CLOCK_OFFSET_MS: String(clockOffsetMs) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    await eventually(
      async () => ((await fetch(`${url()}/health`)).status === 200 ? true : undefined),
      60_000,
      () => `laixi police healthy (stderr: ${output})`,
    );
  };
  const kill = async () => {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child!.kill('SIGKILL');
    await exited;
  };
  const seenInLaiyang = async (alertId: string) => {
    const response = await request(laiyang.url)
      .get(`/alerts/${alertId}`)
      .set(
        'Authorization',
        `Bearer ${signDevToken({ role: 'police-unit', region: laiyang.config.region, org: 'laiyang-patrol' }, laiyang.config)}`,
      );
    return response.status === 200 ? (response.body as { alert: AlertStateV1 }).alert : undefined;
  };

  beforeAll(async () => {
    laiyang = await startTestService({
      service: 'police',
      regions,
      region: 'laiyang',
      appModule: (config) => PoliceAppModule.register(config),
    });
    env = await testServiceEnv({
      service: 'police',
      regions,
      region: 'laixi',
      env: { HEARTBEAT_INTERVAL_MS: '60000' },
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) await kill();
    await laiyang?.close();
    if (env) await dropDatabase(env.DATABASE_URL);
  });

  it('escalates exactly once after the deadline, across two SIGKILLs', async () => {
    await start(0);
    const token = signDevToken(
      { role: 'police-unit', region: env.REGION, org: 'laixi-command', sub: 'officer:1' },
      laiyang.config,
    );
    const raised = await request(url())
      .post('/alerts')
      .set('Authorization', `Bearer ${token}`)
      .send({
        area: 'joint-duty',
        severity: 'P2',
        location: { lat: 36.88, lon: 120.6, zone: 'BZ-04' },
        description: 'Vehicle left the scene of a collision towards the county line',
        actionRequested: 'Watch the crossings in BZ-04',
        expiresAt: new Date(Date.now() + 120 * MINUTE).toISOString(),
      });
    expect(raised.status).toBe(201);
    const alertId = (raised.body as AlertStateV1).alertId;
    await eventually(() => seenInLaiyang(alertId), 60_000, 'the alert in Laiyang');

    // Killed while waiting, restarted before the deadline (P2: 10 minutes): nothing escalates yet.
    await kill();
    await start(5 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await laixiCounts(env.DATABASE_URL, alertId)).toEqual({ feed: 0, outbox: 0, deadlines: 1 });

    // Killed again, restarted past the deadline: the wait survived both crashes.
    await kill();
    await start(11 * MINUTE);
    const escalated = await eventually(
      async () => ((await seenInLaiyang(alertId))?.escalation ? seenInLaiyang(alertId) : undefined),
      60_000,
      'the escalation in Laiyang',
    );
    expect(escalated).toMatchObject({ severity: 'P1', escalation: { fromSeverity: 'P2', widened: false } });

    // And once more after it escalated: still exactly one escalation, in both cities.
    await kill();
    await start(12 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await laixiCounts(env.DATABASE_URL, alertId)).toEqual({ feed: 1, outbox: 1, deadlines: 0 });
    const [{ count }] = await laiyang.app
      .get(DataSource)
      .query<{ count: number }[]>(
        `select count(*)::int as count from police_feed where alert_id = $1 and kind = 'escalated'`,
        [alertId],
      );
    expect(count).toBe(1);
  });
});
