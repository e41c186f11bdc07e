import { createPrivateKey, generateKeyPairSync, randomUUID, sign as ed25519 } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventSigner, buildEnvelope, canonicalSigningInput, eventSource, sign, signedFields } from '@app/bus';
import { AppConfig } from '@app/config';
import { PROBE_V1, domainTopic, signingKeyId } from '@app/contracts';
import { dropDatabase } from '@app/database';
import { repoRoot } from '@app/embedded';
import { startServiceApp } from '@app/platform';
import { CountingAppModule, eventually, testInfra, testRegions, testServiceConfig, testToken } from '@app/testing';

interface Running {
  app: INestApplication;
  config: AppConfig;
  url: string;
}

interface DeadLetter {
  id: string;
  type: string;
  reasonCode: string;
  reason: string;
  payload: string;
  resolvedAt: string | null;
}

const devKey = readFileSync(join(repoRoot(), 'config', 'dev-keys', 'laixi.ed25519'), 'utf8').trim();

/**
 * A region rotates its signing key while the topics still hold what the old key signed: the consumers learn the
 * new key first, then the publisher switches; old (v2 and v3) and new events all apply, and a rebuild from the start
 * of the topics and the replay of dead letters work across the rotation.
 */
describe('signing keys rotated while the topics hold events of the old key', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  const origin = regions.names.laixi;
  const topic = domainTopic(origin, 'talent');
  const next = generateKeyPairSync('ed25519');
  const nextKey = next.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  const oldKid = new EventSigner(devKey).kid;
  const newKid = signingKeyId(next.publicKey);
  let rotatedRegistry: string;
  let laixi: Running | undefined;
  let laiyang: Running | undefined;
  const databases = new Set<string>();

  async function start(base: 'laixi' | 'laiyang', env: Record<string, string> = {}): Promise<Running> {
    const config = await testServiceConfig({
      service: 'talent',
      regions,
      region: base,
      env: { HEARTBEAT_INTERVAL_MS: '60000', ...env },
    });
    databases.add(config.databaseUrl);
    const app = await startServiceApp(config, (c) => CountingAppModule.register(c, { countProbes: false }));
    return { app, config, url: `http://127.0.0.1:${config.port}` };
  }

  const operator = (service: Running) => ({ Authorization: `Bearer ${testToken(service.config, 'operator')}` });

  async function streams(service: Running): Promise<string[]> {
    const response = await request(service.url).get('/bus/probes').query({ limit: 1000 }).set(operator(service));
    expect(response.status).toBe(200);
    return (response.body as { stream: string }[]).map((probe) => probe.stream).sort();
  }

  /** The probes' dead letters (a heartbeat signed with a key the consumer does not know yet is one too). */
  async function deadLetters(service: Running): Promise<DeadLetter[]> {
    const response = await request(service.url).get('/bus/dead-letters').query({ all: true }).set(operator(service));
    expect(response.status).toBe(200);
    return (response.body as DeadLetter[]).filter((letter) => letter.type === PROBE_V1);
  }

  async function sendProbes(service: Running, count: number, stream: string): Promise<void> {
    const response = await request(service.url).post('/bus/probes').set(operator(service)).send({ count, stream });
    expect(response.status).toBe(202);
  }

  async function signatures(stream: string): Promise<string[]> {
    const rows = await laixi!.app
      .get(DataSource)
      .query<{ signature: string }[]>(`select signature from bus_outbox where payload::json->>'stream' = $1`, [stream]);
    return rows.map((row) => row.signature.split('.')[0]);
  }

  /** A probe on laixi's topic written by hand, signed with the old key, the v3 way or the v2 way (no kid). */
  function handWritten(options: { stream: string; seq: number; probeId?: string; scheme: 'v2' | 'v3' }) {
    const subject = `probe/${options.stream}`;
    const { headers, payload } = buildEnvelope({
      id: randomUUID(),
      type: PROBE_V1,
      source: eventSource(origin, 'talent'),
      region: origin,
      subject,
      data: { probeId: options.probeId ?? randomUUID(), stream: options.stream, n: 1 },
    });
    const seq = String(options.seq);
    const privateKey = createPrivateKey({ key: Buffer.from(devKey, 'base64'), format: 'der', type: 'pkcs8' });
    const sig =
      options.scheme === 'v3'
        ? sign(new EventSigner(devKey), headers, payload, seq)
        : ed25519(null, canonicalSigningInput(signedFields(headers, payload, seq), null), privateKey).toString(
            'base64',
          );
    return { key: subject, value: payload, headers: { ...headers, ce_seq: seq, ce_sig: sig } };
  }

  beforeAll(async () => {
    // The rotated registry: the old key ends tomorrow, the new one began a minute ago (before the switch).
    const registry = JSON.parse(readFileSync(regions.file, 'utf8')) as {
      regions: { name: string; keys: { notAfter?: string }[] }[];
    };
    const laixiEntry = registry.regions.find((region) => region.name === origin)!;
    laixiEntry.keys[0].notAfter = new Date(Date.now() + 86_400_000).toISOString();
    laixiEntry.keys.push({
      kid: newKid,
      publicKey: next.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      notBefore: new Date(Date.now() - 60_000).toISOString(),
    } as { notAfter?: string });
    rotatedRegistry = join(dirname(regions.file), 'regions.rotated.json');
    writeFileSync(rotatedRegistry, JSON.stringify(registry, null, 2));

    [laixi, laiyang] = await Promise.all([start('laixi'), start('laiyang')]);
  });

  afterAll(async () => {
    await Promise.all([laixi?.app.close(), laiyang?.app.close()]);
    await Promise.all([...databases].map((url) => dropDatabase(url)));
  });

  it('applies the events of the old key, v2 and v3, before the rotation', async () => {
    // A row in the way of one probe: its handler fails until an operator removes the row (a dead letter to replay).
    const blockedId = randomUUID();
    await laiyang!.app
      .get(DataSource)
      .query(
        `insert into bus_probe (probe_id, origin, stream, n, sent_at) values ($1, 'elsewhere', 'blocker', 1, now())`,
        [blockedId],
      );
    const kafka = new Kafka({ brokers: [testInfra().kafkaBrokers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        handWritten({ stream: 'v2', seq: 1_000_001, scheme: 'v2' }),
        handWritten({ stream: 'blocked', seq: 1_000_002, scheme: 'v3', probeId: blockedId }),
      ],
    });
    await producer.disconnect();
    await sendProbes(laixi!, 3, 'before');

    await eventually(
      async () => ((await streams(laiyang!)).filter((s) => s !== 'blocker').length === 4 ? true : undefined),
      30_000,
      'v2 and the three probes applied',
    );
    expect(await signatures('before')).toEqual([oldKid, oldKid, oldKid]);
    const blocked = await eventually(
      async () => (await deadLetters(laiyang!)).find((letter) => letter.reasonCode === 'BUS.HANDLER_FAILED'),
      30_000,
      'the blocked probe dead-lettered',
    );
    expect(JSON.parse(blocked.payload)).toMatchObject({ stream: 'blocked', probeId: blockedId });
  });

  it('dead-letters events of a key the consumer does not know yet with a clear code', async () => {
    // The publisher switched before this consumer learnt the new key (the wrong order): nothing is lost.
    await laixi!.app.close();
    laixi = await start('laixi', { REGIONS_FILE: rotatedRegistry, REGION_SIGNING_KEY: nextKey });
    await sendProbes(laixi, 2, 'early');

    const early = await eventually(async () => {
      const letters = (await deadLetters(laiyang!)).filter((letter) => letter.reasonCode === 'BUS.UNKNOWN_SIGNING_KEY');
      return letters.length === 2 ? letters : undefined;
    });
    expect(early[0].reason).toBe(`${origin} has no key ${newKid} in the region registry`);
    expect(await signatures('early')).toEqual([newKid, newKid]);
  });

  it('applies the events of the new key once the consumer has the rotated registry', async () => {
    await laiyang!.app.close();
    laiyang = await start('laiyang', { REGIONS_FILE: rotatedRegistry });
    await sendProbes(laixi!, 3, 'after');

    await eventually(
      async () => ((await streams(laiyang!)).filter((s) => s === 'after').length === 3 ? true : undefined),
      30_000,
      'the three probes of the new key applied',
    );
    expect(await signatures('after')).toEqual([newKid, newKid, newKid]);
  });

  it('replays dead letters of either key after the rotation', async () => {
    await laiyang!.app.get(DataSource).query(`delete from bus_probe where stream = 'blocker'`);
    const unresolved = (await deadLetters(laiyang!)).filter((letter) => letter.resolvedAt === null);
    expect(unresolved.map((letter) => letter.reasonCode).sort()).toEqual([
      'BUS.HANDLER_FAILED',
      'BUS.UNKNOWN_SIGNING_KEY',
      'BUS.UNKNOWN_SIGNING_KEY',
    ]);
    for (const letter of unresolved) {
      const replay = await request(laiyang!.url).post(`/bus/dead-letters/${letter.id}/replay`).set(operator(laiyang!));
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({ outcome: 'applied' });
    }
    expect(await streams(laiyang!)).toEqual([
      'after',
      'after',
      'after',
      'before',
      'before',
      'before',
      'blocked',
      'early',
      'early',
      'v2',
    ]);
  });

  it('rebuilds the projection from the start of the topic across the rotation, to the same state', async () => {
    const before = await streams(laiyang!);
    const replay = await request(laiyang!.url).post('/bus/replay').set(operator(laiyang!));
    expect(replay.status).toBe(202);

    await eventually(
      async () => ((await streams(laiyang!)).length === before.length ? true : undefined),
      60_000,
      'the projection rebuilt',
    );
    expect(await streams(laiyang!)).toEqual(before);
    const dead = (await deadLetters(laiyang!)).filter((letter) => letter.resolvedAt === null);
    expect(dead).toEqual([]);
  });
});
