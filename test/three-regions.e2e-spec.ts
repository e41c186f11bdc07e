import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { PoliceAppModule } from '../apps/police/src/app.module';
import { repoRoot } from '@app/embedded';
import { TestService, eventually, startTestServices, testRegions, testToken } from '@app/testing';

const operator = (service: TestService) => ({ Authorization: `Bearer ${testToken(service.config, 'operator')}` });

/**
 * What jimo raises for the other regions, and how a region sees that it arrived. Delivery probes for now, on the
 * police service's bus; once the police service has landed, this becomes a key-area alert raised in jimo
 * (POST /alerts) and received by a subscribed unit in each other region.
 */
const alertFromJimo = {
  raise: (jimo: TestService) =>
    request(jimo.url).post('/bus/probes').set(operator(jimo)).send({ count: 1, stream: 'jimo-alert' }),
  receivedIn: async (region: TestService, jimoName: string) => {
    const response = await request(region.url)
      .get('/bus/probes')
      .query({ origin: jimoName, stream: 'jimo-alert' })
      .set(operator(region));
    return (response.body as unknown[]).length > 0 ? true : undefined;
  },
};

describe('a third region added by configuration alone', () => {
  const regions = testRegions(['laixi', 'laiyang', 'jimo']);
  let services: Awaited<ReturnType<typeof startTestServices>>;

  beforeAll(async () => {
    services = await startTestServices({
      service: 'police',
      regions,
      appModule: (config) => PoliceAppModule.register(config),
      env: { HEARTBEAT_INTERVAL_MS: '500' },
    });
  });

  afterAll(async () => {
    await services?.close();
  });

  it('differs from the two-city registry by the jimo entry only', () => {
    const read = (file: string) =>
      (JSON.parse(readFileSync(join(repoRoot(), 'config', file), 'utf8')) as { regions: { name: string }[] }).regions;
    const three = read('regions.three.json');
    expect(three.filter((region) => region.name !== 'jimo')).toEqual(read('regions.json'));
    expect(three.map((region) => region.name)).toContain('jimo');
  });

  it('delivers what jimo raises to both other regions', async () => {
    const { laixi, laiyang, jimo } = services;
    expect((await alertFromJimo.raise(jimo)).status).toBe(202);
    await eventually(() => alertFromJimo.receivedIn(laixi, regions.names.jimo), 30_000, 'the alert in laixi');
    await eventually(() => alertFromJimo.receivedIn(laiyang, regions.names.jimo), 30_000, 'the alert in laiyang');
  });

  it('is a full peer: the other regions see it alive, and it sees them', async () => {
    const peersSeenBy = async (service: TestService) => {
      const { body } = await request(service.url).get('/health');
      const heartbeats = (body.details?.peers?.heartbeats ?? []) as { region: string }[];
      return [...new Set(heartbeats.map((heartbeat) => heartbeat.region))];
    };
    const { laixi, laiyang, jimo } = regions.names;
    for (const [service, expected] of [
      [services.laixi, [laiyang, jimo]],
      [services.laiyang, [laixi, jimo]],
      [services.jimo, [laixi, laiyang]],
    ] as const) {
      await eventually(
        async () => ((await peersSeenBy(service)).sort().join() === [...expected].sort().join() ? true : undefined),
        30_000,
        () => `${service.config.region} seeing ${expected.join(', ')}`,
      );
    }
  });
});
