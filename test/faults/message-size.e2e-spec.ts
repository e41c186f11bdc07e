import { Kafka, logLevel } from 'kafkajs';
import { SERVICES } from '@app/contracts';
import { CountingAppModule, TestService, startTestServices, testInfra, testRegions } from '@app/testing';
import { expectBusInvariants, sendProbes } from './bus-invariants';

/** The largest record batch the publisher's topics accept (their `max.message.bytes`), and what its relay is told. */
const LIMIT = 72 * 1024;
/** A probe's note is at most 64 KiB: with its envelope, that event alone is over 90 % of the limit. */
const NEAR_LIMIT_NOTE = 'n'.repeat(65_536);

/**
 * The publisher's topics take record batches of at most LIMIT bytes (a topic setting on the run's broker, the same
 * check as the broker's message.max.bytes), and its relay is given the same limit. Then it publishes, in one
 * transaction per stream, many events whose total is many times the limit, and one event close to the limit alone.
 */
describe("the bus when a batch of events is larger than the broker's message size", () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let services: Awaited<ReturnType<typeof startTestServices>>;
  let laixi: TestService;
  let laiyang: TestService;

  beforeAll(async () => {
    const admin = new Kafka({ brokers: [testInfra().kafkaBrokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const laixiName = regions.names.laixi;
      const topics = Object.values(SERVICES).flatMap(({ domain }) => [
        `${laixiName}.${domain}`,
        `${laixiName}.${domain}.${regions.names.laiyang}`,
      ]);
      await admin.createTopics({
        topics: topics.map((topic) => ({
          topic,
          numPartitions: 3,
          configEntries: [{ name: 'max.message.bytes', value: String(LIMIT) }],
        })),
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
    services = await startTestServices({
      service: 'talent',
      regions,
      appModule: (config) => CountingAppModule.register(config),
      env: {
        HEARTBEAT_INTERVAL_MS: '3600000',
        DATABASE_POOL_SIZE: '3',
        KAFKA_MAX_MESSAGE_BYTES: String(LIMIT),
      },
    });
    ({ laixi, laiyang } = services);
  });

  afterAll(async () => {
    await services?.close();
  });

  it('delivers every event, the one near the limit included, once, in order, and leaves nothing in the outbox', async () => {
    const note = 'x'.repeat(30 * 1024);
    // 3 streams × 40 events of 30 KiB: 1.2 MB per transaction, every stream on one partition (one key).
    await Promise.all(['size-a', 'size-b', 'size-c'].map((stream) => sendProbes(laixi, stream, 40, note)));
    await sendProbes(laixi, 'size-near', 1, NEAR_LIMIT_NOTE);
    await sendProbes(laixi, 'size-a', 10);

    await expectBusInvariants({
      publisher: laixi,
      consumer: laiyang,
      streams: { 'size-a': 50, 'size-b': 40, 'size-c': 40, 'size-near': 1 },
      timeoutMs: 60_000,
    });
  });
});
