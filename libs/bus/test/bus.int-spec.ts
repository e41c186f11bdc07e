import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { BusConsumer, EventSigner, OutboxRelay, ProbeService, buildEnvelope, eventSource, sign } from '@app/bus';
import { PROBE_V1, deadLetterTopic, directedTopic, domainTopic } from '@app/contracts';
import { AppConfig } from '@app/config';
import { freePort, repoRoot } from '@app/embedded';
import { startServiceApp } from '@app/platform';
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
  probeId: string;
  origin: string;
  stream: string;
  n: number;
  inOrder: boolean;
}

async function startPair(regions = testRegions(['laixi', 'laiyang'])) {
  const { laixi, laiyang } = await startTestServices({
    service: 'talent',
    regions,
    appModule: (config) => CountingAppModule.register(config, { countProbes: false }),
    env: { HEARTBEAT_INTERVAL_MS: '60000' },
  });
  return { regions, laixi, laiyang };
}

const operator = (service: TestService) => ({ Authorization: `Bearer ${testToken(service.config, 'operator')}` });

async function probesIn(service: TestService, query: Record<string, string> = {}): Promise<Probe[]> {
  const response = await request(service.url)
    .get('/bus/probes')
    .query({ limit: 10_000, ...query })
    .set(operator(service));
  expect(response.status).toBe(200);
  return response.body as Probe[];
}

async function probeCount(service: TestService): Promise<number> {
  const [{ count }] = await service.app
    .get(DataSource)
    .query<{ count: number }[]>('select count(*)::int as count from bus_probe');
  return count;
}

describe('the bus between two cities', () => {
  let laixi: TestService;
  let laiyang: TestService;
  let regions: ReturnType<typeof testRegions>;

  beforeAll(async () => {
    ({ regions, laixi, laiyang } = await startPair());
  });

  afterAll(async () => {
    await Promise.all([laixi?.close(), laiyang?.close()]);
  });

  it('applies an event published in one region exactly once in the other, in order, with no gap', async () => {
    const sent = await request(laixi.url).post('/bus/probes').set(operator(laixi)).send({ count: 5, stream: 'first' });
    expect(sent.status).toBe(202);
    expect(sent.body.probeEventIds).toHaveLength(5);

    const probes = await eventually(async () => {
      const found = await probesIn(laiyang, { stream: 'first' });
      return found.length === 5 ? found : undefined;
    });
    expect(probes.map((probe) => probe.n).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(probes.every((probe) => probe.inOrder && probe.origin === regions.names.laixi)).toBe(true);

    const streams = await request(laiyang.url).get('/bus/streams').set(operator(laiyang));
    expect(streams.body).toEqual([
      {
        origin: regions.names.laixi,
        topic: domainTopic(regions.names.laixi, 'talent'),
        highestContiguous: '5',
        highest: '5',
        received: '5',
        gaps: [],
      },
    ]);
    const outbox = await request(laixi.url).get('/bus/outbox').set(operator(laixi));
    expect(outbox.body).toEqual({
      pending: 0,
      oldestPendingAt: null,
      lastError: null,
      published: [{ topic: domainTopic(regions.names.laixi, 'talent'), lastSeq: '5' }],
    });
  });

  it('applies once what the relay sends twice (it died between sending and marking the rows sent)', async () => {
    await laixi.app.get(ProbeService).send(3, 'twice');
    await eventually(async () => ((await probesIn(laiyang, { stream: 'twice' })).length === 3 ? true : undefined));

    // As after a crash between the send and the commit that marks the rows: they are pending again.
    const marked = await laixi.app
      .get(DataSource)
      .query<[unknown, number]>(`update bus_outbox set sent_at = null where payload::json->>'stream' = 'twice'`);
    expect(marked[1]).toBe(3);
    await laixi.app.get(OutboxRelay).drain();

    await eventually(async () => {
      const metrics = await request(laiyang.url).get('/metrics');
      const duplicates = /bus_events_consumed_total\{[^}]*outcome="duplicate"[^}]*\} (\d+)/.exec(metrics.text);
      return duplicates && Number(duplicates[1]) >= 3 ? true : undefined;
    });
    expect(await probesIn(laiyang, { stream: 'twice' })).toHaveLength(3);
  });

  it('rebuilds its projection from the beginning of the peer topic and converges to the same state', async () => {
    const before = (await probesIn(laiyang)).map((probe) => `${probe.stream}/${probe.n}/${probe.probeId}`).sort();
    expect(before.length).toBeGreaterThanOrEqual(8);

    const replay = await request(laiyang.url).post('/bus/replay').set(operator(laiyang));
    expect(replay.status).toBe(202);
    expect(replay.body.topics).toEqual([
      domainTopic(regions.names.laixi, 'talent'),
      directedTopic(regions.names.laixi, 'talent', regions.names.laiyang),
    ]);

    const after = await eventually(async () => {
      const probes = await probesIn(laiyang);
      return probes.length === before.length ? probes : undefined;
    });
    expect(after.map((probe) => `${probe.stream}/${probe.n}/${probe.probeId}`).sort()).toEqual(before);
    expect(after.every((probe) => probe.inOrder)).toBe(true);
  });

  it('sends each outbox row once and in sequence when two instances relay from one database', async () => {
    const port = await freePort();
    const twin = await startServiceApp(new AppConfig({ ...laixi.config, port }), (config) =>
      CountingAppModule.register(config, { countProbes: false }),
    );
    try {
      const send = (service: ProbeService, stream: string) =>
        (async () => {
          for (let i = 0; i < 10; i++) await service.send(100, stream);
        })();
      await Promise.all([send(laixi.app.get(ProbeService), 'duo-a'), send(twin.get(ProbeService), 'duo-b')]);
      await Promise.all([laixi.app.get(OutboxRelay).drain(), twin.get(OutboxRelay).drain()]);
    } finally {
      await twin.close();
    }

    const kafka = new Kafka({ brokers: [testInfra().kafkaBrokers], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `topic-reader-${randomUUID()}` });
    const seen: { id: string; seq: number; partition: number }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: domainTopic(regions.names.laixi, 'talent'), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message: sent, partition }) => {
        if (!sent.value?.toString().includes('"stream":"duo-')) return;
        seen.push({ id: String(sent.headers?.ce_id), seq: Number(sent.headers?.ce_seq), partition });
      },
    });
    await eventually(async () => (seen.length >= 2000 ? true : undefined), 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await consumer.disconnect();

    expect(seen).toHaveLength(2000);
    expect(new Set(seen.map((event) => event.id)).size).toBe(2000);
    expect(new Set(seen.map((event) => event.seq)).size).toBe(2000);
    for (const partition of new Set(seen.map((event) => event.partition))) {
      const seqs = seen.filter((event) => event.partition === partition).map((event) => event.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });

  it('answers 403 to a caller without the operator role', async () => {
    const response = await request(laiyang.url)
      .get('/bus/streams')
      .set({ Authorization: `Bearer ${testToken(laiyang.config, 'his')}` });
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('the bus given poison messages', () => {
  let laixi: TestService;
  let laiyang: TestService;
  let regions: ReturnType<typeof testRegions>;
  const devKey = (region: string) =>
    readFileSync(join(repoRoot(), 'config', 'dev-keys', `${region}.ed25519`), 'utf8').trim();

  beforeAll(async () => {
    ({ regions, laixi, laiyang } = await startPair());
  });

  afterAll(async () => {
    await Promise.all([laixi?.close(), laiyang?.close()]);
  });

  /** A message on laixi's topic as a forger or a buggy peer would write it, signed with `signedBy`'s key. */
  function message(options: {
    claims?: string;
    signedBy?: string;
    type?: string;
    data?: unknown;
    value?: string;
    seq: number;
  }) {
    const region = regions.names[options.claims ?? 'laixi'];
    const { headers, payload } = buildEnvelope({
      id: randomUUID(),
      type: options.type ?? PROBE_V1,
      source: eventSource(region, 'talent'),
      region,
      subject: 'probe/poison',
      data: options.data ?? { probeId: randomUUID(), stream: 'poison', n: options.seq },
    });
    const value = options.value ?? payload;
    const signer = new EventSigner(devKey(options.signedBy ?? options.claims ?? 'laixi'));
    // A forger names the claimed region's key, whatever key it signs with.
    const claimedKid = new EventSigner(devKey(options.claims ?? 'laixi')).kid;
    const sig = sign(signer, headers, value, String(options.seq)).replace(signer.kid, claimedKid);
    return { key: 'probe/poison', value, headers: { ...headers, ce_seq: String(options.seq), ce_sig: sig } };
  }

  it('dead-letters each poison message with its reason while the events behind it are applied', async () => {
    const kafka = new Kafka({ brokers: [testInfra().kafkaBrokers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const base = 1_000_000;
    const reused = randomUUID();
    await producer.send({
      topic: domainTopic(regions.names.laixi, 'talent'),
      messages: [message({ seq: base, data: { probeId: reused, stream: 'first', n: 1 } })],
    });
    const poison = [
      message({ seq: base + 1, value: '{"probeId": ' }),
      message({ seq: base + 2, data: { probeId: 'not-a-uuid', stream: 'poison', n: 0 } }),
      message({ seq: base + 3, signedBy: 'laiyang' }),
      message({ seq: base + 4, claims: 'laiyang' }),
      message({ seq: base + 5, type: 'cn.shuanglai.bus.teleport.v1' }),
      // Valid, but its handler fails every time: the probe id is taken (retried, then dead-lettered).
      message({ seq: base + 6, data: { probeId: reused, stream: 'poison', n: 1 } }),
    ];
    const good = [1, 2, 3].map((n) =>
      message({ seq: base + 10 + n, data: { probeId: randomUUID(), stream: 'after', n } }),
    );
    await producer.send({ topic: domainTopic(regions.names.laixi, 'talent'), messages: [...poison, ...good] });
    await producer.disconnect();

    const applied = await eventually(
      async () => {
        const probes = await probesIn(laiyang, { stream: 'after' });
        return probes.length === 3 ? probes : undefined;
      },
      30_000,
      'the three good events applied',
    );
    expect(applied.map((probe) => probe.n).sort()).toEqual([1, 2, 3]);

    let listed = '';
    const letters = await eventually(
      async () => {
        const response = await request(laiyang.url).get('/bus/dead-letters').set(operator(laiyang));
        listed = JSON.stringify((response.body as { reasonCode: string }[]).map((letter) => letter.reasonCode));
        return response.body.length === 6
          ? (response.body as { reasonCode: string; signed: boolean; seq: string; reason: string }[])
          : undefined;
      },
      30_000,
      () => `six dead letters listed, not ${listed}`,
    );
    expect(letters.map((letter) => letter.reasonCode).sort()).toEqual([
      'BUS.BAD_SIGNATURE',
      'BUS.HANDLER_FAILED',
      'BUS.INVALID_PAYLOAD',
      'BUS.MALFORMED',
      'BUS.UNKNOWN_TYPE',
      'BUS.WRONG_REGION',
    ]);
    const bySeq = Object.fromEntries(letters.map((letter) => [letter.seq, letter]));
    expect(bySeq[String(base + 2)].signed).toBe(true);
    expect(bySeq[String(base + 3)].signed).toBe(false);
    expect(bySeq[String(base + 6)]).toMatchObject({ signed: true, reason: expect.stringMatching(/after 5 attempts/) });

    // The same five are on the region's dead-letter topic, with the reason and origin in headers.
    const consumer = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopic(regions.names.laiyang), fromBeginning: true });
    const reasons: string[] = [];
    await consumer.run({
      eachMessage: async ({ message: dead }) => {
        reasons.push(`${dead.headers?.dlq_reason_code?.toString()}@${dead.headers?.dlq_topic?.toString()}`);
      },
    });
    await eventually(
      async () => (reasons.length >= 6 ? true : undefined),
      30_000,
      () => `six on the DLQ topic: ${reasons.join(', ')}`,
    );
    await consumer.disconnect();
    expect(reasons).toHaveLength(6);
    expect(reasons.every((reason) => reason.endsWith(`@${domainTopic(regions.names.laixi, 'talent')}`))).toBe(true);

    const metrics = await request(laiyang.url).get('/metrics');
    expect(metrics.text).toMatch(/bus_dead_letters_total\{[^}]*reason="BUS.BAD_SIGNATURE"[^}]*\} 1/);
  });

  it('keeps a dead letter dead on replay while its cause remains, and says why', async () => {
    const letters = (await request(laiyang.url).get('/bus/dead-letters').set(operator(laiyang))).body as {
      id: string;
      reasonCode: string;
    }[];
    const forged = letters.find((letter) => letter.reasonCode === 'BUS.BAD_SIGNATURE')!;
    const replay = await request(laiyang.url).post(`/bus/dead-letters/${forged.id}/replay`).set(operator(laiyang));
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ outcome: 'still_dead', reasonCode: 'BUS.BAD_SIGNATURE' });
  });

  it('applies a dead letter on replay once its cause is gone, and marks it resolved', async () => {
    const letters = (await request(laiyang.url).get('/bus/dead-letters').set(operator(laiyang))).body as {
      id: string;
      reasonCode: string;
      payload: string;
    }[];
    const failed = letters.find((letter) => letter.reasonCode === 'BUS.HANDLER_FAILED')!;
    // The operator removes what made the handler fail (here: the probe id it collided with) and replays.
    const { probeId } = JSON.parse(failed.payload) as { probeId: string };
    await laiyang.app.get(DataSource).query('delete from bus_probe where probe_id = $1', [probeId]);

    const replay = await request(laiyang.url).post(`/bus/dead-letters/${failed.id}/replay`).set(operator(laiyang));
    expect(replay.body).toEqual({ outcome: 'applied' });
    const all = (await request(laiyang.url).get('/bus/dead-letters').query({ all: true }).set(operator(laiyang)))
      .body as { id: string; resolvedAt: string | null; replayCount: number }[];
    expect(all.find((letter) => letter.id === failed.id)).toMatchObject({
      replayCount: 1,
      resolvedAt: expect.any(String),
    });
    const unresolved = (await request(laiyang.url).get('/bus/dead-letters').set(operator(laiyang))).body as unknown[];
    expect(unresolved).toHaveLength(5);
    expect((await probesIn(laiyang, { stream: 'poison' })).map((probe) => probe.probeId)).toEqual([probeId]);
  });

  it('reports the signed poison messages as received in the stream, and the gap below them', async () => {
    const streams = await request(laiyang.url).get('/bus/streams').set(operator(laiyang));
    const [stream] = streams.body as { highestContiguous: string; highest: string; gaps: { from: string }[] }[];
    expect(stream.highestContiguous).toBe('0');
    expect(stream.highest).toBe('1000013');
    expect(stream.gaps[0]).toEqual({ from: '1', to: '999999' });
  });

  it('does not apply its own consumer group twice when the consumer restarts', async () => {
    const consumer = laiyang.app.get(BusConsumer);
    await consumer.stop();
    consumer.start();
    await laixi.app.get(ProbeService).send(2, 'after-restart');
    await eventually(async () =>
      (await probesIn(laiyang, { stream: 'after-restart' })).length === 2 ? true : undefined,
    );
    expect(await probeCount(laiyang)).toBe(6);
  });
});
