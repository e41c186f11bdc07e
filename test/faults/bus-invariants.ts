import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import request from 'supertest';
import { OutboxStatus as Outbox, StreamStatus as StreamRow, consumerGroupId } from '@app/bus';
import { AppConfig } from '@app/config';
import { consumedTopics } from '@app/contracts';
import { eventually, testToken } from '@app/testing';

/** A running service instance, in this process or a child: where it answers and how it is configured. */
export interface BusNode {
  url: string;
  config: AppConfig;
}

export interface InvariantReport {
  /** Events the consumer's inbox was handed (applied or dropped as duplicates): at least once, so ≥ published. */
  deliveries: number;
  /** Deliveries beyond the first of each event: the copies the fault produced, which the inbox had to absorb. */
  copies: number;
}

const operator = (node: BusNode) => ({ Authorization: `Bearer ${testToken(node.config, 'operator')}` });

/**
 * Publishes `count` probes on `stream` through the node's outbox (POST /bus/probes). A refusal by a busy machine
 * (no database connection in time, the process being restarted) is asked again: it committed nothing.
 */
export async function sendProbes(node: BusNode | (() => BusNode), stream: string, count: number, note?: string) {
  const target = () => (typeof node === 'function' ? node() : node);
  let last = '';
  await eventually(
    async () => {
      const response = await request(target().url)
        .post('/bus/probes')
        .set(operator(target()))
        .send({ stream, count, ...(note && { note }) });
      last = `${response.status} ${JSON.stringify(response.body)}`;
      if (response.status === 202) return true;
      if (response.status < 500) throw new Error(`POST /bus/probes: ${last}`);
      return undefined;
    },
    120_000,
    () => `POST /bus/probes accepted (last answer: ${last})`,
  );
}

/**
 * A steady flow rather than one burst: `perStream` probes on each stream, `chunk` per transaction, `pauseMs`
 * apart, so that the fault lands while events are being written, relayed and applied. A failed request (the
 * publisher is the process being killed) is tried again: what it published is all the checker expects.
 */
export async function flowProbes(
  node: () => BusNode,
  streams: Record<string, number>,
  { chunk, pauseMs }: { chunk: number; pauseMs: number },
): Promise<void> {
  const sent = Object.fromEntries(Object.keys(streams).map((stream) => [stream, 0]));
  while (Object.entries(streams).some(([stream, total]) => sent[stream] < total)) {
    await Promise.all(
      Object.entries(streams).map(async ([stream, total]) => {
        const count = Math.min(chunk, total - sent[stream]);
        if (count === 0) return;
        await sendProbes(node, stream, count);
        sent[stream] += count;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

/**
 * The bus's promises, checked the same way after every fault, once the flow has ended:
 * - nothing is left in the publisher's outbox;
 * - every stream is complete with no gap: for each topic the consumer reads from the publisher, its inbox holds
 *   every sequence number up to the last one the publisher gave (GET /bus/streams against GET /bus/outbox);
 * - every event was applied exactly once (`counted_application` has one row per probe, none twice);
 * - order per key: each stream's probes (one key) were applied as n = 1, 2, 3, … in order of application.
 * It first waits until the consumer has processed everything its topics hold (its group's committed offsets at
 * the end of every partition), so that a late copy of an event would be counted too.
 */
export async function expectBusInvariants(options: {
  publisher: BusNode;
  consumer: BusNode;
  /** Probes published per stream (streams start at n = 1 and are numbered by the publisher). */
  streams: Record<string, number>;
  timeoutMs?: number;
}): Promise<InvariantReport> {
  const { publisher, consumer, streams } = options;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const expected = Object.values(streams).reduce((sum, count) => sum + count, 0);
  const readFrom = new Set(
    consumedTopics(consumer.config.service, consumer.config.region, consumer.config.registry.names),
  );

  let lastOutbox: unknown;
  const outbox = await eventually(
    async () => {
      const body: unknown = (await request(publisher.url).get('/bus/outbox').set(operator(publisher)).expect(200)).body;
      lastOutbox = body;
      return (body as Outbox).pending === 0 ? (body as Outbox) : undefined;
    },
    timeoutMs,
    () => `an empty outbox at the publisher (last: ${JSON.stringify(lastOutbox)})`,
  );
  const published = outbox.published.filter((topic) => readFrom.has(topic.topic));
  expect(published.length).toBeGreaterThan(0);

  let last: unknown;
  await eventually(
    async () => {
      const [streamsNow, caughtUp] = await Promise.all([streamStatus(consumer), consumerCaughtUp(consumer, readFrom)]);
      last = { streams: streamsNow, caughtUp, deadLetters: await deadLetters(consumer) };
      const reached = published.every((topic) => {
        const seen = streamsNow.find((s) => s.origin === publisher.config.region && s.topic === topic.topic);
        return seen !== undefined && BigInt(seen.highest) >= BigInt(topic.lastSeq);
      });
      return reached && caughtUp ? true : undefined;
    },
    timeoutMs,
    () => `the consumer at the end of its topics with every sequence number published: ${JSON.stringify(last)}`,
  );

  // Every stream complete, no gap, up to what was published.
  const status = await streamStatus(consumer);
  for (const topic of published) {
    const seen = status.find((s) => s.origin === publisher.config.region && s.topic === topic.topic);
    expect({ topic: topic.topic, ...seen }).toMatchObject({
      topic: topic.topic,
      highestContiguous: topic.lastSeq,
      highest: topic.lastSeq,
      received: topic.lastSeq,
      gaps: [],
    });
  }

  // Exactly once, and in order per key.
  const applied = await counted(consumer.config.databaseUrl, publisher.config.region);
  expect(applied.twice).toEqual([]);
  expect(applied.streams).toEqual(
    Object.entries(streams)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([stream, count]) => ({ stream, count, distinct: count, max: count, inOrder: true })),
  );
  expect(applied.total).toBe(expected);
  expect(await deadLetters(consumer)).toEqual([]);

  // Nothing left behind at the publisher.
  const after = (await request(publisher.url).get('/bus/outbox').set(operator(publisher)).expect(200)).body as Outbox;
  expect(after.pending).toBe(0);

  const deliveries = await consumedEvents(consumer, publisher.config.region);
  return { deliveries, copies: deliveries - expected };
}

async function streamStatus(node: BusNode): Promise<StreamRow[]> {
  const body: unknown = (await request(node.url).get('/bus/streams').set(operator(node)).expect(200)).body;
  return body as StreamRow[];
}

async function deadLetters(node: BusNode): Promise<unknown[]> {
  const body: unknown = (await request(node.url).get('/bus/dead-letters').set(operator(node)).expect(200)).body;
  return (body as { reasonCode?: string; reason?: string; type?: string }[]).map(({ reasonCode, reason, type }) => ({
    reasonCode,
    reason,
    type,
  }));
}

/** The consumer's group has committed, on every partition of the topics it reads, the end of the partition. */
async function consumerCaughtUp(node: BusNode, topics: Set<string>): Promise<boolean> {
  const admin = new Kafka({ brokers: node.config.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = [...topics].filter((topic) => existing.has(topic));
    const committed = await admin.fetchOffsets({ groupId: consumerGroupId(node.config), topics: present });
    for (const topic of present) {
      const ends = await admin.fetchTopicOffsets(topic);
      const done = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        const offset = done.find((p) => p.partition === end.partition)?.offset ?? '-1';
        if (end.high !== '0' && offset !== end.high) return false;
      }
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}

/** What the counting projection applied from `origin`: per stream, and the events applied more than once. */
async function counted(databaseUrl: string, origin: string) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: streams } = await client.query<{
      stream: string;
      count: number;
      distinct: number;
      max: number;
      inOrder: boolean;
    }>(
      `select stream, count(*)::int as count, count(distinct n)::int as "distinct", max(n) as max,
              bool_and(in_order) as "inOrder"
         from (select stream, n, n = row_number() over (partition by stream order by apply_order) as in_order
                 from counted_application where origin = $1) a
        group by stream order by stream`,
      [origin],
    );
    const { rows: twice } = await client.query<{ eventId: string; times: number }>(
      `select event_id as "eventId", count(*)::int as times from counted_application where origin = $1
        group by event_id having count(*) > 1 order by event_id limit 20`,
      [origin],
    );
    return { streams, twice, total: streams.reduce((sum, s) => sum + s.count, 0) };
  } finally {
    await client.end();
  }
}

/** Events from `origin` the consumer's inbox was handed, applied or dropped as already applied (its /metrics). */
async function consumedEvents(node: BusNode, origin: string): Promise<number> {
  const { text } = await request(node.url).get('/metrics').expect(200);
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('bus_events_consumed_total{')) continue;
    if (!line.includes(`origin="${origin}"`) || !/outcome="(applied|duplicate)"/.test(line)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** How many applications the consumer's counting projection holds so far (copies included). */
export async function appliedCount(node: BusNode): Promise<number> {
  const client = new Client({ connectionString: node.config.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: number }>('select count(*)::int as count from counted_application');
    return rows[0].count;
  } finally {
    await client.end();
  }
}

/** Events written to the node's outbox and not yet sent. */
export async function outboxPending(node: BusNode): Promise<number> {
  const body: unknown = (await request(node.url).get('/bus/outbox').set(operator(node)).expect(200)).body;
  return (body as Outbox).pending;
}
