import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { SERVICES, SERVICE_NAMES, consumedTopics, deadLetterTopic, directedTopic, domainTopic } from '@app/contracts';
import { CityCluster, ScramUser, generatePassword, repoRoot, scramClient, startCityCluster } from '@app/embedded';
import { testRegions } from '@app/testing';

const DOMAINS = [...new Set(Object.values(SERVICES).map((service) => service.domain))];

/**
 * Laixi's own cluster as `npm start -- --federated` runs it (SASL/SCRAM, StandardAuthorizer, the README's ACLs),
 * tried with each principal it knows and with one it does not. Every refusal is the broker's own answer.
 */
describe("Laixi's Kafka cluster: who may write and read what", () => {
  const regions = testRegions(['laixi', 'laiyang', 'jimo']);
  const { laixi, laiyang, jimo } = regions.names;
  let city: CityCluster;

  beforeAll(async () => {
    city = await startCityCluster({
      root: repoRoot(),
      dataDir: mkdtempSync(join(tmpdir(), 'shuanglai-acl-')),
      city: laixi,
      regions: Object.values(regions.names),
      domains: DOMAINS,
      consumed: SERVICE_NAMES.flatMap((service) => consumedTopics(service, laixi, Object.values(regions.names))),
      heapMb: 384,
      // The storage format and the broker are two JVM start-ups; on a busy machine they take minutes.
      startTimeoutMs: 300_000,
      partitions: 1,
      retentionMs: 3_600_000,
    });
  }, 400_000);

  afterAll(async () => {
    await city?.broker.stop();
  });

  const client = (user: ScramUser) =>
    new Kafka({
      brokers: [city.broker.brokers],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      ...scramClient(user),
    });

  /** What the broker answers to one message sent as `user`: 'OK' or its error code. */
  async function produce(user: ScramUser, topic: string): Promise<string> {
    const producer = client(user).producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    try {
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'forged' }] });
      return 'OK';
    } catch (error) {
      return brokerAnswer(error);
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }

  /** The broker's error code, under kafkajs's wrappers (retries exceeded, non-retriable); else the error's name. */
  function brokerAnswer(error: unknown): string {
    type Wrapped = { type?: string; name: string; message: string; cause?: Wrapped };
    for (let cause = error as Wrapped | undefined; cause; cause = cause.cause) if (cause.type) return cause.type;
    return `${(error as Error).name}: ${(error as Error).message}`;
  }

  async function visibleTopics(user: ScramUser): Promise<string[]> {
    const admin = client(user).admin();
    await admin.connect();
    try {
      return (await admin.listTopics()).sort();
    } finally {
      await admin.disconnect();
    }
  }

  it("refuses Laiyang's principal writing Laixi's topics on Laixi's cluster (TOPIC_AUTHORIZATION_FAILED)", async () => {
    const laiyangMirrorMaker = city.credentials.peerMirrorMakers[laiyang];
    const attempts = {
      [domainTopic(laixi, 'health')]: await produce(laiyangMirrorMaker, domainTopic(laixi, 'health')),
      [directedTopic(laixi, 'police', laiyang)]: await produce(
        laiyangMirrorMaker,
        directedTopic(laixi, 'police', laiyang),
      ),
      [deadLetterTopic(laixi)]: await produce(laiyangMirrorMaker, deadLetterTopic(laixi)),
    };
    process.stdout.write(`${laiyangMirrorMaker.username} → ${JSON.stringify(attempts)}\n`);
    expect(Object.values(attempts)).toEqual(Array(3).fill('TOPIC_AUTHORIZATION_FAILED'));
  });

  it("refuses Laiyang's principal writing Laiyang's own prefix on Laixi's cluster: only Laixi's MirrorMaker mirrors it", async () => {
    const topic = domainTopic(laiyang, 'health');
    const byLaiyang = await produce(city.credentials.peerMirrorMakers[laiyang], topic);
    const byLaixiServices = await produce(city.credentials.services, topic);
    const byLaixiMirrorMaker = await produce(city.credentials.mirrorMaker, topic);
    process.stdout.write(
      `${topic} on ${laixi}'s cluster: ${laiyang}.mm2 ${byLaiyang}, ${laixi}.services ${byLaixiServices}, ` +
        `${laixi}.mm2 ${byLaixiMirrorMaker}\n`,
    );
    expect(byLaiyang).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(byLaixiServices).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(byLaixiMirrorMaker).toBe('OK');
  });

  it("refuses Laiyang's services' credentials outright: they are no user of Laixi's cluster", async () => {
    const outcome = await produce(
      { username: `${laiyang}.services`, password: generatePassword() },
      domainTopic(laixi, 'health'),
    );
    process.stdout.write(`${laiyang}.services on ${laixi}'s cluster → ${outcome}\n`);
    expect(outcome).toMatch(/^KafkaJSSASLAuthenticationError: SASL SCRAM SHA512 authentication failed/);
  });

  it("lets Laixi's services write their own prefix (directed topics and dead letters included), nothing else", async () => {
    const services = city.credentials.services;
    const own = [domainTopic(laixi, 'talent'), directedTopic(laixi, 'talent', laiyang), deadLetterTopic(laixi)];
    const outcomes = Object.fromEntries(
      await Promise.all(own.map(async (topic) => [topic, await produce(services, topic)] as const)),
    );
    process.stdout.write(`${services.username} → ${JSON.stringify(outcomes)}\n`);
    expect(Object.values(outcomes)).toEqual(['OK', 'OK', 'OK']);
    // The broker creates no topic by itself, not even under the services' own prefix.
    expect(await produce(services, `${laixi}.not-created`)).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it("shows each peer's MirrorMaker only what Laixi publishes for that peer: no dead letters, nothing for a third city", async () => {
    const seen = await visibleTopics(city.credentials.peerMirrorMakers[laiyang]);
    expect(seen).toEqual(
      DOMAINS.flatMap((domain) => [domainTopic(laixi, domain), directedTopic(laixi, domain, laiyang)]).sort(),
    );
    expect(seen).not.toContain(deadLetterTopic(laixi));
    expect(seen).not.toContain(directedTopic(laixi, 'health', jimo));
  });
});
