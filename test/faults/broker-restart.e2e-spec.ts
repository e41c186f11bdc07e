import {
  CountingAppModule,
  PrivateBroker,
  TestService,
  eventually,
  startTestServices,
  testRegions,
} from '@app/testing';
import { appliedCount, expectBusInvariants, flowProbes, outboxPending } from './bus-invariants';

describe('the bus when its Kafka broker is killed (SIGKILL) and started again mid-stream', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  const broker = new PrivateBroker();
  let services: Awaited<ReturnType<typeof startTestServices>>;
  let laixi: TestService;
  let laiyang: TestService;

  beforeAll(async () => {
    await broker.start();
    services = await startTestServices({
      service: 'talent',
      regions,
      appModule: (config) => CountingAppModule.register(config),
      env: { KAFKA_BROKERS: broker.brokers, HEARTBEAT_INTERVAL_MS: '3600000', DATABASE_POOL_SIZE: '3' },
    });
    ({ laixi, laiyang } = services);
  });

  afterAll(async () => {
    await services?.close();
    await broker.stop();
  });

  it('applies every event once, in order, with no gap, including those written while the broker was down', async () => {
    const streams = { 'broker-a': 1500, 'broker-b': 1500 };
    const flowing = flowProbes(() => laixi, streams, { chunk: 50, pauseMs: 50 });
    await eventually(async () => ((await appliedCount(laiyang)) >= 500 ? true : undefined), 60_000, '500 applied');

    await broker.kill();
    // The fault hit: events are written while no broker answers, and wait in the outbox.
    await eventually(async () => ((await outboxPending(laixi)) >= 200 ? true : undefined), 60_000, 'a backlog');
    expect(await appliedCount(laiyang)).toBeLessThan(3000);
    await broker.start();
    await flowing;

    await expectBusInvariants({ publisher: laixi, consumer: laiyang, streams });
  });
});
