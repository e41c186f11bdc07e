import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { PoliceAppModule } from '../apps/police/src/app.module';
import { repoRoot } from '@app/embedded';
import { signDevToken } from '@app/http';
import { Clock } from '@app/platform';
import { TestService, eventually, startTestServices, testRegions } from '@app/testing';

const unit = (service: TestService, org: string) => ({
  Authorization: `Bearer ${signDevToken({ role: 'police-unit', region: service.config.region, org }, service.config)}`,
});

/** A joint-duty alert raised by a jimo unit, and how a subscribed unit of another region sees it arrive (by polling). */
const alertFromJimo = {
  raise: (jimo: TestService) =>
    request(jimo.url)
      .post('/alerts')
      .set(unit(jimo, 'jimo-command'))
      .send({
        area: 'joint-duty',
        severity: 'P2',
        location: { lat: 36.45, lon: 120.44, zone: 'BZ-03' },
        description: 'Stolen van seen heading west on the provincial road',
        actionRequested: 'Check vehicles at the boundary checkpoint',
        expiresAt: new Date(jimo.app.get(Clock).now().getTime() + 2 * 60 * 60_000).toISOString(),
      }),
  receivedIn: async (region: TestService, jimoName: string, alertId: string) => {
    const response = await request(region.url)
      .get('/alerts')
      .set(unit(region, `${region.config.region}-patrol`));
    const items = (response.body as { items: { origin: string; alert: { alertId: string } }[] }).items;
    return items.some((item) => item.origin === jimoName && item.alert.alertId === alertId) ? true : undefined;
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

  it('delivers an alert raised in jimo to the subscribed units of both other regions', async () => {
    const { laixi, laiyang, jimo } = services;
    for (const region of [laixi, laiyang]) {
      const subscribed = await request(region.url)
        .post('/subscriptions')
        .set(unit(region, `${region.config.region}-patrol`))
        .send({ areas: ['joint-duty'], zones: ['BZ-03'] });
      expect(subscribed.status).toBe(201);
    }
    const raised = await alertFromJimo.raise(jimo);
    expect(raised.status).toBe(201);
    const alertId = (raised.body as { alertId: string }).alertId;
    await eventually(() => alertFromJimo.receivedIn(laixi, regions.names.jimo, alertId), 30_000, 'the alert in laixi');
    await eventually(() => alertFromJimo.receivedIn(laiyang, regions.names.jimo, alertId), 30_000, 'in laiyang');
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
