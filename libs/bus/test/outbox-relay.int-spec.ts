import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ProbeService } from '@app/bus';
import { directedTopic, domainTopic } from '@app/contracts';
import {
  CountingAppModule,
  TestService,
  eventually,
  startTestServices,
  testInfra,
  testRegions,
  testToken,
} from '@app/testing';

interface Probe {
  stream: string;
  n: number;
  inOrder: boolean;
}

interface SentMessage {
  id: string;
  seq: string;
  sig: string;
  partition: number;
}

/** Well under the broker's own limit, so that requests are split often and an oversized event is easy to make. */
const MAX_MESSAGE_BYTES = 60_000;
const operator = (service: TestService) => ({ Authorization: `Bearer ${testToken(service.config, 'operator')}` });

async function probesIn(service: TestService, stream: string): Promise<Probe[]> {
  const response = await request(service.url)
    .get('/bus/probes')
    .query({ limit: 10_000, stream })
    .set(operator(service));
  expect(response.status).toBe(200);
  return response.body as Probe[];
}

async function outboxRows(service: TestService, stream: string) {
  return service.app
    .get(DataSource)
    .query<{ event_id: string; seq: string | null; signature: string | null }[]>(
      `select event_id::text, seq::text, signature from bus_outbox where payload::json->>'stream' = $1 order by id`,
      [stream],
    );
}

/** Every message on `topic` so far, read from the beginning by a group of its own. */
async function readTopic(topic: string, expected: (messages: SentMessage[]) => boolean): Promise<SentMessage[]> {
  const kafka = new Kafka({ brokers: [testInfra().kafkaBrokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `topic-reader-${randomUUID()}` });
  const seen: SentMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        // Heartbeats are sent directly, outside the outbox and its numbering.
        if (message.headers?.ce_seq === undefined) return;
        seen.push({
          id: String(message.headers?.ce_id),
          seq: String(message.headers?.ce_seq),
          sig: String(message.headers?.ce_sig),
          partition,
        });
      },
    });
    await eventually(async () => (expected(seen) ? true : undefined), 60_000, `messages on ${topic}`);
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

describe('the outbox relay under large events and a refusing broker', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let services: Awaited<ReturnType<typeof startTestServices>>;
  let laixi: TestService;
  let laiyang: TestService;
  let broadcast: string;

  beforeAll(async () => {
    services = await startTestServices({
      service: 'talent',
      regions,
      appModule: (config) => CountingAppModule.register(config, { countProbes: false }),
      env: {
        HEARTBEAT_INTERVAL_MS: '60000',
        KAFKA_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
        BUS_OUTBOX_MAX_AGE_MS: '2000',
      },
    });
    ({ laixi, laiyang } = services);
    broadcast = domainTopic(regions.names.laixi, 'talent');
  });

  afterAll(async () => {
    await services?.close();
  });

  it('delivers 40 probes of 30 KB, all and in order (relay batch over the broker message size)', async () => {
    const sent = await request(laixi.url)
      .post('/bus/probes')
      .set(operator(laixi))
      .send({ count: 40, stream: 'large', note: 'x'.repeat(30_000) });
    expect(sent.status).toBe(202);

    const probes = await eventually(async () => {
      const found = await probesIn(laiyang, 'large');
      return found.length === 40 ? found : undefined;
    }, 60_000);
    expect(probes.map((probe) => probe.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(probes.every((probe) => probe.inOrder)).toBe(true);
  });

  it('answers 413 problem details naming the limit for an event over KAFKA_MAX_MESSAGE_BYTES, and writes nothing', async () => {
    const [{ count: before }] = await laixi.app
      .get(DataSource)
      .query<{ count: number }[]>('select count(*)::int as count from bus_outbox');

    // A valid probe (its note may hold 65,536 characters) whose event is over the relay's limit.
    const response = await request(laixi.url)
      .post('/bus/probes')
      .set(operator(laixi))
      .send({ count: 1, stream: 'oversized', note: 'x'.repeat(65_000) });

    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 413, code: 'BUS.EVENT_TOO_LARGE' });
    expect(response.body.detail).toContain(`${MAX_MESSAGE_BYTES} bytes`);
    const [{ count: after }] = await laixi.app
      .get(DataSource)
      .query<{ count: number }[]>('select count(*)::int as count from bus_outbox');
    expect(after).toBe(before);
    const [{ count: counter }] = await laixi.app
      .get(DataSource)
      .query<{ count: number }[]>(`select count(*)::int as count from bus_probe_sent where stream = 'oversized'`);
    expect(counter).toBe(0);
  });

  describe('when the broker refuses a topic (its max.message.bytes below the relay limit)', () => {
    const kafka = () => new Kafka({ brokers: [testInfra().kafkaBrokers], logLevel: logLevel.NOTHING });
    const setTopicLimit = async (bytes: number) => {
      const admin = kafka().admin();
      await admin.connect();
      try {
        await admin.alterConfigs({
          validateOnly: false,
          resources: [
            {
              type: ConfigResourceTypes.TOPIC,
              name: broadcast,
              configEntries: [{ name: 'max.message.bytes', value: String(bytes) }],
            },
          ],
        });
      } finally {
        await admin.disconnect();
      }
    };
    const streams = ['refused-a', 'refused-b', 'refused-c', 'refused-d'];
    let numberedWhileRefused: { event_id: string; seq: string | null; signature: string | null }[] = [];

    beforeAll(async () => {
      await setTopicLimit(20_000);
      // Small probes on some partitions and 30 KB ones on others share each request: the broker appends some
      // partitions' batches and refuses the others, which leaves a kafkajs producer's sequence numbers out of step.
      for (const [i, stream] of streams.entries()) {
        await laixi.app.get(ProbeService).send(3, stream, i % 2 === 0 ? 'small' : 'y'.repeat(30_000));
      }
      numberedWhileRefused = await eventually(async () => {
        const rows = (await Promise.all(streams.map((stream) => outboxRows(laixi, stream)))).flat();
        const [{ failed }] = await laixi.app
          .get(DataSource)
          .query<{ failed: number }[]>(
            `select count(*)::int as failed from bus_outbox where topic = $1 and last_error is not null`,
            [broadcast],
          );
        return failed > 0 && rows.every((row) => row.seq !== null) ? rows : undefined;
      }, 60_000);
    });

    afterAll(async () => {
      await setTopicLimit(1_048_588);
    });

    it('reports the outbox degraded on /health (503, named, with the relay error) while its oldest event waits too long', async () => {
      const health = await eventually(async () => {
        const response = await request(laixi.url).get('/health');
        return response.status === 503 ? response : undefined;
      });
      expect(health.body.error.outbox.status).toBe('down');
      expect(health.body.error.outbox.message).toMatch(/oldest pending event has waited \d+ s \(limit 2 s\)/);
      expect(health.body.error.outbox.message).toContain('MESSAGE_TOO_LARGE');
      expect(health.body.details.kafka.status).toBe('up');

      const outbox = await request(laixi.url).get('/bus/outbox').set(operator(laixi));
      expect(outbox.body.lastError).toMatchObject({ topic: broadcast });
      expect(outbox.body.lastError.message).toContain('MESSAGE_TOO_LARGE');
      const metrics = await request(laixi.url).get('/metrics');
      const oldest = /^bus_outbox_oldest_pending_seconds(?:\{[^}]*\})? (\S+)$/m.exec(metrics.text);
      expect(Number(oldest?.[1])).toBeGreaterThan(2);
    });

    it('keeps sending the other topics while one is refused', async () => {
      await laixi.app.get(ProbeService).send(5, 'directed-meanwhile', undefined, regions.names.laiyang);
      await eventually(async () => ((await probesIn(laiyang, 'directed-meanwhile')).length === 5 ? true : undefined));
      const [{ pending }] = await laixi.app
        .get(DataSource)
        .query<{ pending: number }[]>(
          `select count(*)::int as pending from bus_outbox where sent_at is null and topic = $1`,
          [directedTopic(regions.names.laixi, 'talent', regions.names.laiyang)],
        );
      expect(pending).toBe(0);
    });

    it('does not renumber after a failed pass: the re-sent events carry the same seq and signature, byte for byte', async () => {
      // Numbered and signed in a committed transaction before the first (failed) send.
      expect(numberedWhileRefused).toHaveLength(12);
      await setTopicLimit(1_048_588);

      await eventually(async () => {
        const [{ pending }] = await laixi.app
          .get(DataSource)
          .query<{ pending: number }[]>(
            `select count(*)::int as pending from bus_outbox where sent_at is null and topic = $1`,
            [broadcast],
          );
        return pending === 0 ? true : undefined;
      }, 60_000);
      const [{ last }] = await laixi.app
        .get(DataSource)
        .query<{ last: number }[]>('select last::int from bus_outbox_sequence where topic = $1', [broadcast]);
      const ids = new Set(numberedWhileRefused.map((row) => row.event_id));
      const seen = await readTopic(broadcast, (messages) => new Set(messages.map((m) => m.seq)).size >= last);
      const onTopic = seen.filter((message) => ids.has(message.id));
      for (const row of numberedWhileRefused) {
        const copies = onTopic.filter((message) => message.id === row.event_id);
        expect(copies.length).toBeGreaterThanOrEqual(1);
        for (const copy of copies)
          expect({ seq: copy.seq, sig: copy.sig }).toEqual({ seq: row.seq, sig: row.signature });
      }
      // A sequence number names one event only, and the whole topic has no gap.
      const idBySeq = new Map<string, Set<string>>();
      for (const message of seen) idBySeq.set(message.seq, (idBySeq.get(message.seq) ?? new Set()).add(message.id));
      expect([...idBySeq.values()].every((messageIds) => messageIds.size === 1)).toBe(true);
      const seqs = [...idBySeq.keys()].map(Number).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));

      const after = (await Promise.all(streams.map((stream) => outboxRows(laixi, stream)))).flat();
      expect(after).toEqual(numberedWhileRefused);
      await eventually(async () => ((await request(laixi.url).get('/health')).status === 200 ? true : undefined));
    });

    it('replaces a producer left out of step by a partly refused request, and keeps every key in order', async () => {
      const metrics = await request(laixi.url).get('/metrics');
      expect(
        Number(/^bus_producer_replacements_total(?:\{[^}]*\})? (\S+)$/m.exec(metrics.text)?.[1]),
      ).toBeGreaterThanOrEqual(1);

      // The same partitions again: an out-of-step producer would be refused with OUT_OF_ORDER_SEQUENCE_NUMBER.
      for (const stream of streams) await laixi.app.get(ProbeService).send(2, stream, 'after');
      for (const stream of streams) {
        const probes = await eventually(async () => {
          const found = await probesIn(laiyang, stream);
          return found.length === 5 ? found : undefined;
        }, 60_000);
        expect(probes.map((probe) => probe.n).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
        expect(probes.every((probe) => probe.inOrder)).toBe(true);
      }
      const outbox = await request(laixi.url).get('/bus/outbox').set(operator(laixi));
      expect(outbox.body).toMatchObject({ pending: 0, lastError: null });
    });
  });
});
