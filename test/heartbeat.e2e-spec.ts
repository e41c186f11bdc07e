import request from 'supertest';
import { TalentAppModule } from '../apps/talent/src/app.module';
import { TestService, eventually, startTestServices, testRegions } from '@app/testing';

describe('peer heartbeats between two cities', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let services: Awaited<ReturnType<typeof startTestServices>>;
  let laixi: TestService;
  let laiyang: TestService;

  beforeAll(async () => {
    services = await startTestServices({
      service: 'talent',
      regions,
      appModule: (config) => TalentAppModule.register(config),
      env: { HEARTBEAT_INTERVAL_MS: '200' },
    });
    ({ laixi, laiyang } = services);
  });

  afterAll(async () => {
    await services?.close();
  });

  it('reports its own database and Kafka as up on /health', async () => {
    const response = await eventually(async () => {
      const answer = await request(laixi.url).get('/health');
      return answer.status === 200 ? answer : undefined;
    });
    expect(response.body.details).toMatchObject({
      database: { status: 'up' },
      kafka: { status: 'up' },
      node: { region: regions.names.laixi, service: 'talent' },
    });
  });

  it("delivers one city's heartbeat, published on its own topic, to the other city's consumer", async () => {
    const seen = await eventually(
      async () => {
        const { body } = await request(laiyang.url).get('/health');
        const heartbeats = (body.details?.peers?.heartbeats ?? []) as { region: string; instance: string }[];
        return heartbeats.find((heartbeat) => heartbeat.region === regions.names.laixi);
      },
      60_000,
      'laixi heartbeat seen in laiyang',
    );
    expect(seen.instance).toMatch(/^[0-9a-f-]{36}$/);
  });
});
