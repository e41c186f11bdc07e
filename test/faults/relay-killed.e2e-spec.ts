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
const PER_ROUND = 1000;

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

/** The relay's sessions waiting for the table lock to write to bus_outbox. */
async function waitingRelays(database: Client): Promise<number[]> {
  const { rows } = await database.query<{ pid: number }>(
    `select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
        and query ~* '^\\s*update\\s+bus_outbox'`,
  );
  return rows.map((row) => row.pid);
}

/**
 * Takes the share lock on bus_outbox and keeps it if the relay has sent a batch it now waits to mark: the topic
 * holds more messages beyond the rows marked sent (heartbeats, one per start, aside) than it did before (`surplus`,
 * the copies earlier rounds left). Otherwise (the relay is idle, or waits on a write before its send) lets go and
 * answers undefined, to be tried again.
 */
async function holdTheRelayAfterSend(
  database: Client,
  at: { brokers: string[]; topic: string; heartbeats: number; surplus: number },
  seen: { last?: unknown },
) {
  await database.query('begin');
  await database.query('lock table bus_outbox in share mode');
  for (const deadline = Date.now() + 2000; Date.now() < deadline;) {
    const [pid] = await waitingRelays(database);
    if (pid !== undefined) {
      const { rows } = await database.query<{ marked: number }>(
        'select count(*)::int as marked from bus_outbox where sent_at is not null',
      );
      const messages = await messagesIn(at.brokers, at.topic);
      const surplus = messages - at.heartbeats - rows[0].marked;
      seen.last = { pid, messages, marked: rows[0].marked, surplus, before: at.surplus };
      if (surplus > at.surplus) return { pid, surplus };
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { rows } = await database.query<{ pending: number }>(
    'select count(*)::int as pending from bus_outbox where sent_at is null',
  );
  seen.last = { ...(seen.last as object), pending: rows[0].pending };
  await database.query('rollback');
  return undefined;
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
    let starts = 0;
    let surplus = 0;
    const seen: { last?: unknown } = {};
    try {
      for (let round = 0; round < ROUNDS; round++) {
        await startPublisher();
        starts++;
        if (round === 0) await database.connect();
        await Promise.all(STREAMS.map((stream) => sendProbes(publisher, stream, PER_ROUND)));

        const held = await eventually(
          () =>
            holdTheRelayAfterSend(
              database,
              {
                brokers: publisher.config.kafkaBrokers,
                topic,
                heartbeats: starts,
                surplus,
              },
              seen,
            ),
          30_000,
          () =>
            `the relay waiting to mark a sent batch (last seen ${JSON.stringify(seen.last)}; its stderr: ${output})`,
        );
        await killPublisher();
        // The killed process's server session only learns of it when it next writes to the socket: end it now.
        await database.query('select pg_terminate_backend($1)', [held.pid]);
        surplus = held.surplus;
        await database.query('rollback');
      }
      await startPublisher();
    } finally {
      await database.end();
    }

    const streams = Object.fromEntries(STREAMS.map((stream) => [stream, ROUNDS * PER_ROUND]));
    const report = await expectBusInvariants({ publisher, consumer: laiyang, streams });
    // Each kill left a sent batch unmarked, which the next process sent again: the inbox absorbed the copies.
    expect(report.copies).toBeGreaterThanOrEqual(surplus);
    expect(surplus).toBeGreaterThanOrEqual(ROUNDS);
  });
});
