import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client, Pool } from 'pg';
import {
  ensureDebeziumArtifacts,
  ensureKafkaArtifacts,
  freePort,
  log4jConfig,
  spawnGuarded,
  startEmbeddedPostgres,
  stopGuarded,
} from '@app/embedded';
import { fixedLoad } from './kafka-raw';
import { balancedStreams, note, streamKey } from './payload';
import { BenchStack } from './stack';
import { log, now, sleep, until } from './util';

export interface DebeziumOptions {
  /** The throughput phase: concurrent writers, rows per transaction, seconds, and how far they may run ahead. */
  writers: number;
  batch: number;
  seconds: number;
  maxBacklog: number;
  /** The latency phase: offered rows/s, one transaction per tick, after a warm-up. */
  rate: number;
  tickMs: number;
  latencySeconds: number;
  warmupSeconds: number;
  noteBytes: number;
}

export interface DebeziumFigures {
  version: string;
  perSecond: number;
  latencies: number[];
}

/** The bus's outbox table (libs/bus's migration), minus the relay's own bookkeeping columns. */
const OUTBOX_DDL = `
  create table bench_outbox (
    id bigserial primary key,
    event_id uuid not null unique,
    topic text not null,
    key text not null,
    type text not null,
    headers jsonb not null,
    payload text not null,
    created_at timestamptz not null default now()
  )`;

/**
 * The peer users would otherwise pick for the transactional outbox: Debezium's PostgreSQL connector with its
 * outbox event router on Kafka Connect (standalone), reading the WAL of a PostgreSQL with logical replication (an
 * embedded one, `wal_level=logical`, since the machine's server need not allow it) and writing each row's payload
 * to the topic the row names, keyed by its key, to the same broker as the bus's benchmarks.
 *
 * Latency is from just before the inserting transaction to the record's arrival at a plain consumer; throughput
 * is rows committed by `writers` loops of `batch`-row transactions and received by that consumer, per second.
 * Debezium's polling interval is set to 10 ms (the default 500 ms would only add idle wait to every figure).
 */
export async function debeziumOutbox(stack: BenchStack, options: DebeziumOptions): Promise<DebeziumFigures> {
  const work = mkdtempSync(join(tmpdir(), 'shuanglai-bench-debezium-'));
  stack.onStop('remove the Debezium data', async () => rmSync(work, { recursive: true, force: true }));
  const [{ libs }, { version, pluginPath }] = await Promise.all([
    ensureKafkaArtifacts(stack.root, log),
    ensureDebeziumArtifacts(stack.root, log),
  ]);

  const wanted = join(work, 'postgres');
  const postgres = await startEmbeddedPostgres(wanted, await freePort(), log, ['-c', 'wal_level=logical']);
  // Run as root, the data lives in a folder of its own that the 'postgres' user can reach.
  const dataHome = postgres.dataDir === wanted ? wanted : dirname(postgres.dataDir);
  stack.onStop('remove its data', async () => rmSync(dataHome, { recursive: true, force: true }));
  stack.onStop('stop the logical-replication PostgreSQL', () => postgres.stop());
  const url = new URL(postgres.url);
  const setup = new Client({ connectionString: postgres.url });
  await setup.connect();
  await setup.query(OUTBOX_DDL);
  await setup.end();

  const topic = `bench-${stack.runId}.debezium`;
  await stack.createTopics([topic]);
  const restPort = await freePort();
  const worker = join(work, 'worker.properties');
  writeFileSync(
    worker,
    properties({
      'bootstrap.servers': stack.kafkaBrokers,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'offset.storage.file.filename': join(work, 'offsets'),
      'offset.flush.interval.ms': '1000',
      'plugin.path': pluginPath,
      listeners: `http://127.0.0.1:${restPort}`,
    }),
  );
  const connector = join(work, 'outbox.properties');
  writeFileSync(
    connector,
    properties({
      name: 'bench-outbox',
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'tasks.max': '1',
      'plugin.name': 'pgoutput',
      'database.hostname': url.hostname,
      'database.port': url.port,
      'database.user': decodeURIComponent(url.username),
      'database.password': decodeURIComponent(url.password),
      'database.dbname': url.pathname.slice(1),
      'topic.prefix': `bench-${stack.runId}-dbz`,
      'table.include.list': 'public.bench_outbox',
      'publication.autocreate.mode': 'filtered',
      'slot.name': 'bench_outbox',
      'snapshot.mode': 'no_data',
      'tombstones.on.delete': 'false',
      'poll.interval.ms': '10',
      transforms: 'outbox',
      'transforms.outbox.type': 'io.debezium.transforms.outbox.EventRouter',
      'transforms.outbox.table.field.event.id': 'event_id',
      'transforms.outbox.table.field.event.key': 'key',
      'transforms.outbox.table.field.event.payload': 'payload',
      'transforms.outbox.route.by.field': 'topic',
      'transforms.outbox.route.topic.replacement': '${routedByValue}',
      'transforms.outbox.table.fields.additional.placement': 'type:header:type',
    }),
  );
  const logFile = join(work, 'connect.log');
  const log4j = join(work, 'log4j2.yaml');
  writeFileSync(log4j, log4jConfig(logFile));
  log(`starting Kafka Connect with Debezium ${version} (log ${logFile}) ...`);
  const { child, javaPid } = await spawnGuarded([
    '-Xms512m',
    '-Xmx512m',
    `-Dlog4j2.configurationFile=${log4j}`,
    '-cp',
    `${libs}/*`,
    'org.apache.kafka.connect.cli.ConnectStandalone',
    worker,
    connector,
  ]);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  stack.onStop('stop Kafka Connect', () => stopGuarded(child, javaPid, exited));
  await until(() => connectorRunning(restPort), 120_000, `Debezium's connector running (see ${logFile})`, 500);

  const pool = new Pool({ connectionString: postgres.url, max: options.writers + 1 });
  stack.onStop('close the Debezium bench pool', () => pool.end());
  const received = new Map<number, number>();
  const consumer = stack.kafka.consumer({ groupId: `bench-${stack.runId}-debezium`, maxWaitTimeInMs: 50 });
  stack.onStop('stop the Debezium bench consumer', () => consumer.disconnect());
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const at = now();
      for (const message of batch.messages)
        received.set((JSON.parse(message.value!.toString()) as { n: number }).n, at);
    },
  });

  const text = note(options.noteBytes);
  const streams = balancedStreams(`dbz-${stack.runId}`, 4);
  let next = 0;
  /** One transaction of `count` rows on one key, as one business transaction of the bus's benchmarks. */
  const insert = async (count: number, stream: string): Promise<number[]> => {
    const numbers = Array.from({ length: count }, () => ++next);
    await pool.query(
      `insert into bench_outbox (event_id, topic, key, type, headers, payload)
       select gen_random_uuid(), $1, $2, 'bench.probe', '{}'::jsonb, payload from unnest($3::text[]) as payload`,
      [topic, streamKey(stream), numbers.map((n) => JSON.stringify({ stream, n, text }))],
    );
    return numbers;
  };

  // Latency: a warm-up (the slot streaming, the producer's connections open, the JIT warm), then the measured run.
  const sentAt = new Map<number, number>();
  const latencyLoad = { rate: options.rate, tickMs: options.tickMs };
  await fixedLoad(latencyLoad, options.warmupSeconds, (tick, count) =>
    insert(count, streams[tick % streams.length]).then(() => undefined),
  );
  await fixedLoad(latencyLoad, options.latencySeconds, async (tick, count) => {
    const at = now();
    for (const n of await insert(count, streams[tick % streams.length])) sentAt.set(n, at);
  });
  await until(() => received.size >= next, 120_000, 'Debezium latency rows on the topic', 50);
  const latencies = [...sentAt.entries()].map(([n, at]) => received.get(n)! - at);

  // Throughput: writers as fast as they go, never more than maxBacklog rows ahead of the consumer.
  const before = next;
  const started = now();
  const stopAt = started + options.seconds * 1000;
  const writer = async (index: number) => {
    while (now() < stopAt) {
      if (next - received.size > options.maxBacklog) {
        await sleep(5);
        continue;
      }
      await insert(options.batch, streams[index % streams.length]);
    }
  };
  await Promise.all(Array.from({ length: options.writers }, (_, i) => writer(i)));
  await until(() => received.size >= next, 120_000, 'Debezium throughput rows on the topic', 20);
  let last = started;
  for (const [n, at] of received) if (n > before && at > last) last = at;
  const perSecond = ((next - before) * 1000) / (last - started);
  log(`debezium: ${next - before} rows relayed in ${Math.round(last - started)} ms; ${latencies.length} timed rows`);
  return { version, perSecond, latencies };
}

function properties(values: Record<string, string>): string {
  return `${Object.entries(values)
    .map(([key, value]) => `${key}=${value.replace(/\\/g, '\\\\')}`)
    .join('\n')}\n`;
}

async function connectorRunning(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/connectors/bench-outbox/status`);
    if (!response.ok) return false;
    const status = (await response.json()) as {
      connector: { state: string };
      tasks: { state: string; trace?: string }[];
    };
    const failed = status.tasks.find((task) => task.state === 'FAILED');
    if (failed) throw new Error(`Debezium's task failed: ${failed.trace?.split('\n')[0]}`);
    return status.connector.state === 'RUNNING' && status.tasks.some((task) => task.state === 'RUNNING');
  } catch (error) {
    if ((error as Error).message.startsWith('Debezium')) throw error;
    return false;
  }
}
