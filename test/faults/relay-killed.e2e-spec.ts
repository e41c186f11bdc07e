import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import request from 'supertest';
import { dropDatabase } from '@app/database';
import { domainTopic } from '@app/contracts';
import { repoRoot } from '@app/embedded';
import {
  CountingAppModule,
  TestService,
  eventually,
  startTestService,
  testRegions,
  testServiceConfig,
  testServiceEnv,
} from '@app/testing';
import { BusNode, expectBusInvariants, sendProbes } from './bus-invariants';

const ROUNDS = 3;
const STREAMS = ['relay-a', 'relay-b', 'relay-c'];
const BACKLOG = 1000;

/** Messages the topic holds (the sum of its partitions' end offsets). */
async function messagesIn(brokers: string[], topic: string): Promise<number> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** An advisory lock key of this test's own: while the test holds it, no outbox row can be marked sent. */
const HOLD = 74_201;

/**
 * A trigger on the publisher's outbox that makes marking a row sent wait for HOLD: the relay still claims rows
 * and sends them, then waits before its mark commits. (The database is the test's to shape; the relay is untouched.)
 */
async function holdMarks(database: Client): Promise<void> {
  await database.query(`
    create function faults_hold_mark() returns trigger language plpgsql as $$
      begin perform pg_advisory_xact_lock_shared(${HOLD}); return new; end $$`);
  await database.query(`
    create trigger faults_hold_mark before update on bus_outbox for each row
      when (old.sent_at is null and new.sent_at is not null) execute function faults_hold_mark()`);
}

/** The relay's session once it has sent a batch and waits to mark it, and what the topic holds beyond the marks. */
async function relayWaitingToMark(database: Client, brokers: string[], topic: string, heartbeats: number) {
  const { rows } = await database.query<{ pid: number }>(
    `select pid from pg_stat_activity where datname = current_database() and wait_event = 'advisory'
        and query ~* '^\\s*update\\s+bus_outbox'`,
  );
  if (rows.length === 0) return undefined;
  const [{ marked }] = (
    await database.query<{ marked: number }>('select count(*)::int as marked from bus_outbox where sent_at is not null')
  ).rows;
  return { pid: rows[0].pid, unmarked: (await messagesIn(brokers, topic)) - heartbeats - marked };
}

/**
 * The publishing service runs as a process of its own, and is killed with SIGKILL after its relay has sent a batch
 * and before it has marked it sent, several times, while it relays a backlog. To land the kill in that window every
 * time, the test holds `lock table bus_outbox in share mode` (no edit in the relay): the relay can still claim rows
 * (a row share lock) and send them, but its mark (an update) waits for the lock, and the kill comes while it waits.
 */
describe('the bus when the relay’s process is killed between send and mark', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let laiyang: TestService;
  let env: Record<string, string>;
  let publisher: BusNode;
  let child: ChildProcess | undefined;
  let output = '';

  const startPublisher = async () => {
    const main = join(repoRoot(), 'dist', 'apps', 'talent', 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
    child = spawn(process.execPath, [main], {
      cwd: repoRoot(),
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    await eventually(
      async () => ((await request(publisher.url).get('/health/live')).status === 200 ? true : undefined),
      120_000,
      () => `the publisher up (its stderr: ${output})`,
    );
  };

  const killPublisher = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };

  beforeAll(async () => {
    const options = {
      service: 'talent' as const,
      regions,
      region: 'laixi',
      env: { HEARTBEAT_INTERVAL_MS: '3600000', DATABASE_POOL_SIZE: '3' },
    };
    env = await testServiceEnv(options);
    publisher = { url: `http://127.0.0.1:${env.PORT}`, config: await testServiceConfig({ ...options, env }) };
    laiyang = await startTestService({
      service: 'talent',
      regions,
      region: 'laiyang',
      appModule: (config) => CountingAppModule.register(config),
      env: { HEARTBEAT_INTERVAL_MS: '3600000', DATABASE_POOL_SIZE: '3' },
    });
  });

  afterAll(async () => {
    await killPublisher();
    await laiyang?.close();
    if (env) await dropDatabase(env.DATABASE_URL);
  });

  it('applies every event once, in order, with no gap, though batches were sent again after each kill', async () => {
    const topic = domainTopic(publisher.config.region, 'talent');
    const database = new Client({ connectionString: env.DATABASE_URL });
    let unmarked = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        await startPublisher();
        if (round === 0) {
          await database.connect();
          await holdMarks(database);
          await database.query('select pg_advisory_lock($1)', [HOLD]);
          await Promise.all(STREAMS.map((stream) => sendProbes(publisher, stream, BACKLOG)));
        }
        // The window is open: the relay has sent one more batch than before and waits to mark it.
        const waiting = await eventually(
          async () => {
            const now = await relayWaitingToMark(database, publisher.config.kafkaBrokers, topic, round + 1);
            return now && now.unmarked > unmarked ? now : undefined;
          },
          60_000,
          () => `the relay waiting to mark a sent batch (its stderr: ${output})`,
        );
        unmarked = waiting.unmarked;
        await killPublisher();
        // The killed process's server session only notices when it next writes to its socket: end it now.
        await database.query('select pg_terminate_backend($1)', [waiting.pid]);
      }
      await database.query('select pg_advisory_unlock($1)', [HOLD]);
      await database.query('drop trigger faults_hold_mark on bus_outbox');
      await startPublisher();
    } finally {
      await database.end();
    }

    const streams = Object.fromEntries(STREAMS.map((stream) => [stream, BACKLOG]));
    const report = await expectBusInvariants({ publisher, consumer: laiyang, streams });
    // Each kill left a sent batch unmarked, which the next process sent again: the inbox absorbed the copies.
    expect(unmarked).toBeGreaterThanOrEqual(ROUNDS);
    expect(report.copies).toBeGreaterThanOrEqual(unmarked);
  }, 300_000);
});
