import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import { HealthRecordsAppModule } from '../apps/health-records/src/app.module';
import { SERVICES, SERVICE_NAMES, consumedTopics, deadLetterTopic, directedTopic, domainTopic } from '@app/contracts';
import {
  CityCluster,
  MirrorMaker,
  SCRAM_MECHANISM,
  ScramUser,
  repoRoot,
  scramClient,
  startCityCluster,
  startMirrorMaker,
} from '@app/embedded';
import { TestService, eventually, startTestService, testRegions, testToken } from '@app/testing';

const operator = (service: TestService) => ({ Authorization: `Bearer ${testToken(service.config, 'operator')}` });
const DOMAINS = [...new Set(Object.values(SERVICES).map((service) => service.domain))];

/** The probes a service has applied, by stream. */
async function streamsIn(service: TestService): Promise<string[]> {
  const response = await request(service.url).get('/bus/probes').query({ limit: 1000 }).set(operator(service));
  expect(response.status).toBe(200);
  return (response.body as { stream: string }[]).map((probe) => probe.stream).sort();
}

const adminOf = (city: CityCluster) =>
  new Kafka({
    brokers: [city.broker.brokers],
    logLevel: logLevel.NOTHING,
    ...scramClient(city.credentials.admin),
  }).admin();

async function topicsOf(city: CityCluster): Promise<string[]> {
  const admin = adminOf(city);
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

/** Messages a topic holds on one cluster (the sum of its partitions' end offsets). */
async function messagesIn(city: CityCluster, topic: string): Promise<number> {
  const admin = adminOf(city);
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * The production topology: each city on a Kafka cluster of its own (SASL/SCRAM, the StandardAuthorizer with the
 * README's ACLs, topics created up front), and in each city a MirrorMaker 2 (Apache Kafka's, from the official jars,
 * as `npm start -- --federated` runs it) pulling its peers' topics in. The services are the same code as on one
 * shared cluster; each is only given its own city's KAFKA_BROKERS and its city's services' principal.
 * The registry also names jimo, which runs nowhere here: laixi can address events to it.
 */
describe('two cities, each on its own Kafka cluster, joined by MirrorMaker 2', () => {
  const regions = testRegions(['laixi', 'laiyang', 'jimo']);
  const { laixi: laixiName, laiyang: laiyangName, jimo: jimoName } = regions.names;
  const clusters = {} as Record<'laixi' | 'laiyang', CityCluster>;
  const mirrors: MirrorMaker[] = [];
  let laixi: TestService;
  let laiyang: TestService;

  beforeAll(async () => {
    await Promise.all(
      (['laixi', 'laiyang'] as const).map(async (base) => {
        clusters[base] = await startCityCluster({
          root: repoRoot(),
          dataDir: mkdtempSync(join(tmpdir(), 'shuanglai-broker-')),
          city: regions.names[base],
          regions: Object.values(regions.names),
          domains: DOMAINS,
          consumed: SERVICE_NAMES.flatMap((service) =>
            consumedTopics(service, regions.names[base], Object.values(regions.names)),
          ),
          heapMb: 384,
          startTimeoutMs: 300_000,
          partitions: 3,
          retentionMs: 3_600_000,
        });
      }),
    );
    const cluster = (base: 'laixi' | 'laiyang', credentials: ScramUser) => ({
      name: regions.names[base],
      brokers: clusters[base].broker.brokers,
      credentials,
    });
    const mirror = (target: 'laixi' | 'laiyang', source: 'laixi' | 'laiyang') =>
      startMirrorMaker({
        root: repoRoot(),
        dataDir: mkdtempSync(join(tmpdir(), 'shuanglai-mm2-')),
        target: cluster(target, clusters[target].credentials.mirrorMaker),
        sources: [cluster(source, clusters[source].credentials.peerMirrorMakers[regions.names[target]])],
        domains: DOMAINS,
        startTimeoutMs: 300_000,
      }).then((started) => void mirrors.push(started));
    await Promise.all([mirror('laixi', 'laiyang'), mirror('laiyang', 'laixi')]);

    const start = (base: 'laixi' | 'laiyang') =>
      startTestService({
        service: 'health-records',
        regions,
        region: base,
        appModule: (config) => HealthRecordsAppModule.register(config),
        env: {
          KAFKA_BROKERS: clusters[base].broker.brokers,
          KAFKA_SASL_MECHANISM: SCRAM_MECHANISM,
          KAFKA_SASL_USERNAME: clusters[base].credentials.services.username,
          KAFKA_SASL_PASSWORD: clusters[base].credentials.services.password,
          HEARTBEAT_INTERVAL_MS: '3600000',
        },
      });
    [laixi, laiyang] = await Promise.all([start('laixi'), start('laiyang')]);
  }, 600_000);

  afterAll(async () => {
    await Promise.all([laixi?.close(), laiyang?.close()]);
    await Promise.all(mirrors.map((mirror) => mirror.stop()));
    await Promise.all(Object.values(clusters).map((cluster) => cluster.broker.stop()));
  });

  it("applies in Laiyang an event published in Laixi, read from Laiyang's own cluster", async () => {
    expect(laiyang.config.kafkaBrokers).toEqual([clusters.laiyang.broker.brokers]);
    const sent = await request(laixi.url)
      .post('/bus/probes')
      .set(operator(laixi))
      .send({ count: 3, stream: 'broadcast' });
    expect(sent.status).toBe(202);
    // Hook for the health-records service once it has landed: publish a record in Laixi and read it in Laiyang.
    await eventually(
      async () => ((await streamsIn(laiyang)).length === 3 ? true : undefined),
      60_000,
      'the probes in Laiyang',
    );
    expect(await streamsIn(laiyang)).toEqual(['broadcast', 'broadcast', 'broadcast']);
  });

  it('mirrors the events Laixi addresses to Laiyang, but not those addressed to a third region, nor dead letters', async () => {
    const to = (target: string, stream: string) =>
      request(laixi.url).post('/bus/probes').set(operator(laixi)).send({ count: 1, stream, target });
    expect((await to(jimoName, 'to-jimo')).status).toBe(202);
    expect((await to(laiyangName, 'to-laiyang')).status).toBe(202);
    await eventually(
      async () => ((await streamsIn(laiyang)).includes('to-laiyang') ? true : undefined),
      60_000,
      'the directed probe in Laiyang',
    );
    const topics = await topicsOf(clusters.laiyang);
    expect(topics).toEqual(
      expect.arrayContaining([domainTopic(laixiName, 'health'), directedTopic(laixiName, 'health', laiyangName)]),
    );
    expect(topics).not.toContain(directedTopic(laixiName, 'health', jimoName));
    expect(topics).not.toContain(deadLetterTopic(laixiName));
    expect(await messagesIn(clusters.laixi, directedTopic(laixiName, 'health', jimoName))).toBe(1);
  });

  it('replicates the other way too, and each event exactly once (no replication loop)', async () => {
    const sent = await request(laiyang.url)
      .post('/bus/probes')
      .set(operator(laiyang))
      .send({ count: 2, stream: 'back' });
    expect(sent.status).toBe(202);
    await eventually(
      async () => ((await streamsIn(laixi)).length === 2 ? true : undefined),
      60_000,
      'the probes in Laixi',
    );
    expect(await streamsIn(laixi)).toEqual(['back', 'back']);

    // A loop would copy a mirrored topic back into its origin's cluster, where it would keep growing.
    const laixiTopic = domainTopic(laixiName, 'health');
    const atOrigin = await messagesIn(clusters.laixi, laixiTopic);
    await eventually(async () => ((await messagesIn(clusters.laiyang, laixiTopic)) === atOrigin ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await messagesIn(clusters.laixi, laixiTopic)).toBe(atOrigin);
    expect(await messagesIn(clusters.laiyang, laixiTopic)).toBe(atOrigin);
  });
});
