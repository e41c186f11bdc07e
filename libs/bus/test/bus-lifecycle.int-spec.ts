import { Kafka, logLevel } from 'kafkajs';
import { BusConsumer } from '@app/bus';
import { CountingAppModule, eventually, startTestService, testInfra, testRegions } from '@app/testing';

describe(BusConsumer.name, () => {
  // Regression: a consumer still connecting when its app closed went on running (and fetching) afterwards.
  it('leaves no member in its consumer group when the service closes while the consumer is still starting', async () => {
    const service = await startTestService({
      service: 'talent',
      regions: testRegions(['laixi', 'laiyang']),
      region: 'laixi',
      appModule: (config) => CountingAppModule.register(config, { countProbes: false }),
    });
    const { groupId } = service.app.get(BusConsumer);
    await service.close();

    const admin = new Kafka({ brokers: [testInfra().kafkaBrokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const group = await eventually(
        async () => {
          const {
            groups: [described],
          } = await admin.describeGroups([groupId]);
          return described.members.length === 0 ? described : undefined;
        },
        20_000,
        'an empty consumer group',
      );
      // Stays empty: nothing rejoins after the close.
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const {
        groups: [later],
      } = await admin.describeGroups([groupId]);
      expect([group.members.length, later.members.length]).toEqual([0, 0]);
    } finally {
      await admin.disconnect();
    }
  });
});
