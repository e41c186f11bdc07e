import request from 'supertest';
import { TalentAppModule } from '../apps/talent/src/app.module';
import { PrivateBroker, TestService, eventually, startTestServices, testRegions } from '@app/testing';

/** Its own broker, so that killing it disturbs no other test. */
describe('a service while its Kafka broker dies and comes back', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  const broker = new PrivateBroker();
  let services: Awaited<ReturnType<typeof startTestServices>>;
  let laixi: TestService;
  let laiyang: TestService;

  const health = async (service: TestService) => request(service.url).get('/health');
  const laixiHeartbeatIn = async (service: TestService) => {
    const { body } = await health(service);
    const beats = (body.details?.peers?.heartbeats ?? []) as { region: string; lastSeen: string }[];
    return beats.find((beat) => beat.region === regions.names.laixi);
  };

  beforeAll(async () => {
    await broker.start();
    services = await startTestServices({
      service: 'talent',
      regions,
      appModule: (config) => TalentAppModule.register(config),
      env: { KAFKA_BROKERS: broker.brokers, HEARTBEAT_INTERVAL_MS: '300' },
    });
    ({ laixi, laiyang } = services);
  });

  afterAll(async () => {
    await services?.close();
    await broker.stop();
  });

  it('reports Kafka down with 503 and the details, then up again after a restart, without restarting the service', async () => {
    await eventually(async () => ((await health(laixi)).status === 200 ? true : undefined), 30_000, 'healthy');
    await eventually(() => laixiHeartbeatIn(laiyang), 60_000, 'first heartbeat');

    await broker.kill();
    const down = await eventually(
      async () => {
        const response = await health(laixi);
        return response.status === 503 ? response : undefined;
      },
      30_000,
      '503 while Kafka is down',
    );
    expect(down.body.details).toMatchObject({ database: { status: 'up' }, kafka: { status: 'down' } });

    await broker.start();
    const restartedAt = new Date().toISOString();
    const up = await eventually(
      async () => {
        const response = await health(laixi);
        return response.status === 200 ? response : undefined;
      },
      60_000,
      '200 after the restart',
    );
    expect(up.body.details.kafka.status).toBe('up');

    // The consumer resumed too: a heartbeat sent after the restart arrives in the other city.
    const beat = await eventually(
      async () => {
        const seen = await laixiHeartbeatIn(laiyang);
        return seen && seen.lastSeen > restartedAt ? seen : undefined;
      },
      90_000,
      'heartbeat after the restart',
    );
    expect(beat.lastSeen > restartedAt).toBe(true);
  });
});
