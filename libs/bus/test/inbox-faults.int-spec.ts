import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventSigner, InboxCleanup, ProbeService, buildEnvelope, eventSource, sign } from '@app/bus';
import { PROBE_V1, domainTopic } from '@app/contracts';
import { repoRoot } from '@app/embedded';
import {
  CountingAppModule,
  TestService,
  eventually,
  startTestServices,
  testInfra,
  testRegions,
  testToken,
} from '@app/testing';

const DAY_MS = 24 * 60 * 60 * 1000;
const operator = (service: TestService) => ({ Authorization: `Bearer ${testToken(service.config, 'operator')}` });
const kafka = () => new Kafka({ brokers: [testInfra().kafkaBrokers], logLevel: logLevel.NOTHING });

async function startPair(laiyangEnv: Record<string, string> = {}) {
  const regions = testRegions(['laixi', 'laiyang']);
  const services = await startTestServices({
    service: 'talent',
    regions,
    appModule: (config) => CountingAppModule.register(config, { countProbes: false }),
    env: { HEARTBEAT_INTERVAL_MS: '60000' },
  });
  // laiyang again with its own settings, if any (startTestServices gives every region the same environment).
  if (Object.keys(laiyangEnv).length > 0) {
    await services.laiyang.close();
    const [again] = Object.values(
      await startTestServices({
        service: 'talent',
        regions,
        bases: ['laiyang'],
        appModule: (config) => CountingAppModule.register(config, { countProbes: false }),
        env: { HEARTBEAT_INTERVAL_MS: '60000', ...laiyangEnv },
      }),
    ) as TestService[];
    services.laiyang = again;
  }
  return { regions, laixi: services.laixi, laiyang: services.laiyang };
}

async function query<T>(service: TestService, sql: string, params: unknown[] = []): Promise<T[]> {
  return service.app.get(DataSource).query<T[]>(sql, params);
}

const probeRows = (service: TestService, stream: string) =>
  query<{ probe_id: string }>(service, 'select probe_id from bus_probe where stream = $1', [stream]);
const deadLetters = (service: TestService) =>
  query<{ reason_code: string; event_id: string }>(service, 'select reason_code, event_id from bus_dead_letter');

/** A probe on laixi's talent topic as laixi's relay would write it, with the id and signed time given. */
function probeMessage(laixi: string, options: { id?: string; time?: Date; stream: string; n: number; seq: number }) {
  const { headers, payload } = buildEnvelope({
    id: options.id ?? randomUUID(),
    type: PROBE_V1,
    source: eventSource(laixi, 'talent'),
    region: laixi,
    subject: `probe/${options.stream}`,
    data: { probeId: randomUUID(), stream: options.stream, n: options.n },
  });
  if (options.time) headers.ce_time = options.time.toISOString();
  const signer = new EventSigner(readFileSync(join(repoRoot(), 'config', 'dev-keys', 'laixi.ed25519'), 'utf8').trim());
  const seq = String(options.seq);
  return {
    key: `probe/${options.stream}`,
    value: payload,
    headers: { ...headers, ce_seq: seq, ce_sig: sign(signer, headers, payload, seq) } as Record<string, string>,
  };
}

describe('the inbox given copies, foreign ids and stale events', () => {
  let laixi: TestService;
  let laiyang: TestService;
  let regions: ReturnType<typeof testRegions>;

  beforeAll(async () => {
    ({ regions, laixi, laiyang } = await startPair());
  });

  afterAll(async () => {
    await Promise.all([laixi?.close(), laiyang?.close()]);
  });

  async function publish(messages: ReturnType<typeof probeMessage>[]): Promise<void> {
    const producer = kafka().producer();
    await producer.connect();
    try {
      // One request: the copies land next to each other in one partition, hence in one fetched batch.
      await producer.send({ topic: domainTopic(regions.names.laixi, 'talent'), messages });
    } finally {
      await producer.disconnect();
    }
  }

  // Regression: ids were checked against a Set of new ids, so both copies of an event in one batch were applied.
  it('applies once two copies of one event that arrive in the same batch', async () => {
    const copy = probeMessage(regions.names.laixi, { stream: 'twins', n: 1, seq: 2_000_001 });
    const after = probeMessage(regions.names.laixi, { stream: 'twins', n: 2, seq: 2_000_002 });
    await publish([copy, copy, after]);

    await eventually(async () => ((await probeRows(laiyang, 'twins')).length === 2 ? true : undefined));
    const metrics = await request(laiyang.url).get('/metrics');
    expect(metrics.text).toMatch(/bus_events_consumed_total\{[^}]*outcome="duplicate"[^}]*\} 1\b/);
    expect(await probeRows(laiyang, 'twins')).toHaveLength(2);
    expect(await deadLetters(laiyang)).toEqual([]);
  });

  // Regression: the inbox stored ids as uuid, so another producer's CloudEvents id could never be applied.
  it('accepts an event whose id is any CloudEvents id, not a UUID', async () => {
    const id = `urn:laixi:his-7/probe#${randomUUID().slice(0, 8)}`;
    await publish([probeMessage(regions.names.laixi, { id, stream: 'urn', n: 1, seq: 2_000_003 })]);

    await eventually(async () => ((await probeRows(laiyang, 'urn')).length === 1 ? true : undefined));
    const [row] = await query<{ event_id: string }>(laiyang, 'select event_id from bus_inbox where event_id = $1', [
      id,
    ]);
    expect(row.event_id).toBe(id);
  });

  it('refuses as stale (BUS.STALE) an event signed longer ago than the topics keep events', async () => {
    const old = new Date(Date.now() - laiyang.config.kafkaRetentionMs - 60_000);
    const stale = probeMessage(regions.names.laixi, { time: old, stream: 'stale', n: 1, seq: 2_000_004 });
    const fresh = probeMessage(regions.names.laixi, { stream: 'stale-after', n: 1, seq: 2_000_005 });
    await publish([stale, fresh]);

    await eventually(async () => ((await probeRows(laiyang, 'stale-after')).length === 1 ? true : undefined));
    const letters = await eventually(async () => {
      const found = await deadLetters(laiyang);
      return found.length === 1 ? found : undefined;
    });
    expect(letters).toEqual([{ reason_code: 'BUS.STALE', event_id: stale.headers.ce_id }]);
    expect(await probeRows(laiyang, 'stale')).toEqual([]);
  });

  // Regression: a replay wiped the projections and rebuilt from whatever the topics still held.
  it('refuses a replay with 409 once a consumed partition no longer starts at offset 0', async () => {
    const admin = kafka().admin();
    await admin.connect();
    try {
      const topic = domainTopic(regions.names.laixi, 'talent');
      const used = (await admin.fetchTopicOffsets(topic)).find((p) => p.high !== '0')!;
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: used.partition, offset: '1' }] });
    } finally {
      await admin.disconnect();
    }
    const before = await query<{ n: number }>(laiyang, 'select count(*)::int as n from bus_probe');

    const replay = await request(laiyang.url).post('/bus/replay').set(operator(laiyang));

    expect(replay.status).toBe(409);
    expect(replay.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(replay.body).toMatchObject({
      code: 'BUS.REPLAY_INCOMPLETE',
      detail: expect.stringMatching(/starts at offset 1/),
    });
    expect(await query<{ n: number }>(laiyang, 'select count(*)::int as n from bus_probe')).toEqual(before);
    // The consumer still runs.
    await laixi.app.get(ProbeService).send(1, 'after-refusal');
    await eventually(async () => ((await probeRows(laiyang, 'after-refusal')).length === 1 ? true : undefined));
  });
});

describe('the inbox of a service whose pool HTTP load exhausts', () => {
  let laixi: TestService;
  let laiyang: TestService;
  let regions: ReturnType<typeof testRegions>;
  let locker: Client;

  beforeAll(async () => {
    ({ regions, laixi, laiyang } = await startPair({ DATABASE_POOL_SIZE: '2' }));
    locker = new Client({ connectionString: laiyang.config.databaseUrl });
    await locker.connect();
  });

  afterAll(async () => {
    await locker?.end();
    await Promise.all([laixi?.close(), laiyang?.close()]);
  });

  /** Slow requests: each holds one of laiyang's pool connections while it waits for the table the test locked. */
  async function underLoad<T>(requests: number, work: (responses: Promise<request.Response>[]) => Promise<T>) {
    await locker.query('begin');
    await locker.query('lock table bus_dead_letter in access exclusive mode');
    const responses = Array.from({ length: requests }, () =>
      request(laiyang.url)
        .get('/bus/dead-letters')
        .set(operator(laiyang))
        .then((response) => response),
    );
    try {
      return await work(responses);
    } finally {
      await locker.query('rollback');
      await Promise.all(responses);
    }
  }

  // Regression: talent's POST /talent/status answered 500 when PostgreSQL refused connections.
  it('answers 503 with Retry-After, never 500, while the database gives no connection', async () => {
    const statuses = await underLoad(6, async (responses) => {
      const extra = await request(laiyang.url).get('/bus/outbox').set(operator(laiyang));
      expect(extra.status).toBe(503);
      expect(extra.headers['retry-after']).toBe('5');
      expect(extra.body).toMatchObject({ status: 503, code: 'DATABASE.UNAVAILABLE' });
      // Regression: the outbox gauge's fallback collected itself again, so /metrics never answered here.
      const metrics = await request(laiyang.url).get('/metrics').timeout(30_000);
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('bus_outbox_oldest_pending_seconds');
      return responses;
    });
    const settled = await Promise.all(statuses);
    expect(settled.every((response) => [200, 503].includes(response.status))).toBe(true);
    expect(settled.some((response) => response.status === 503)).toBe(true);
  });

  // Regression: pool timeouts were classed unknown and counted, so good events were dead-lettered after 5 tries.
  it('dead-letters nothing and applies every event once while the pool is exhausted', async () => {
    await underLoad(4, async () => {
      await laixi.app.get(ProbeService).send(30, 'starved');
      // The inbox met the exhausted pool (and waited) at least twice before the load ends.
      await eventually(
        async () => {
          const metrics = await request(laiyang.url).get('/metrics');
          const waits = /bus_retries_total\{[^}]*class="infrastructure"[^}]*\} (\d+)/.exec(metrics.text);
          return waits && Number(waits[1]) >= 2 ? true : undefined;
        },
        60_000,
        'the inbox waiting for the database',
      );
      // Asked on the locking connection: the service's pool has none to give.
      const { rows } = await locker.query<{ n: number }>(
        "select count(*)::int as n from bus_probe where stream = 'starved'",
      );
      expect(rows).toEqual([{ n: 0 }]);
    });

    await eventually(async () => ((await probeRows(laiyang, 'starved')).length === 30 ? true : undefined), 60_000);
    expect(await deadLetters(laiyang)).toEqual([]);
    const [{ n }] = await query<{ n: number }>(
      laiyang,
      "select count(distinct n)::int as n from bus_probe where stream = 'starved'",
    );
    expect(n).toBe(30);
  });

  it('deletes only the inbox rows whose events are past the retention, and reports no false gap', async () => {
    await laixi.app.get(ProbeService).send(2, 'recent');
    await eventually(async () => ((await probeRows(laiyang, 'recent')).length === 2 ? true : undefined));
    // Time passes for everything but the two recent events.
    const [, backdated] = await laiyang.app.get(DataSource).query<[unknown, number]>(
      `update bus_inbox set event_time = event_time - $1 * interval '1 millisecond'
        where event_id not in (select event_id from bus_inbox order by seq desc limit 2)`,
      [laiyang.config.kafkaRetentionMs + 2 * DAY_MS],
    );
    const total = backdated + 2;

    const deleted = await laiyang.app.get(InboxCleanup).prune();

    expect(deleted).toBe(backdated);
    const left = await query<{ seq: string }>(laiyang, 'select seq from bus_inbox order by seq');
    expect(left.map((row) => Number(row.seq))).toEqual([total - 1, total]);
    const streams = await request(laiyang.url).get('/bus/streams').set(operator(laiyang));
    expect(streams.body).toEqual([
      {
        origin: regions.names.laixi,
        topic: domainTopic(regions.names.laixi, 'talent'),
        highestContiguous: String(total),
        highest: String(total),
        received: String(total),
        gaps: [],
      },
    ]);
    expect(await laiyang.app.get(InboxCleanup).prune()).toBe(0);
  });
});
