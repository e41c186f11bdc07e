import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { signDevToken } from '@app/http';
import { Clock } from '@app/platform';
import { TestService, eventually, startTestServices, testRegions, testToken } from '@app/testing';
import { PoliceAppModule } from '../src/app.module';

const MINUTE = 60_000;
const unit = (config: AppConfig, org: string) =>
  signDevToken({ role: 'police-unit', region: config.region, org, sub: `officer:${org}` }, config);

async function rows<T>(service: TestService, sql: string): Promise<T[]> {
  return service.app.get(DataSource).query<T[]>(sql);
}

describe('police projections on POST /bus/replay', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let services: Awaited<ReturnType<typeof startTestServices>>;
  let laixi: TestService;
  let laiyang: TestService;

  beforeAll(async () => {
    services = await startTestServices({
      service: 'police',
      regions,
      appModule: (config) => PoliceAppModule.register(config),
    });
    ({ laixi, laiyang } = services);
  });

  afterAll(async () => {
    await services?.close();
  });

  // Regression: police registered no projection reset, so a replay kept whatever state the projection had.
  it("rebuilds the peers' alerts and rosters from the topics, and delivers no alert to the units twice", async () => {
    const now = laixi.app.get(Clock).now().getTime();
    const raised = await request(laixi.url)
      .post('/alerts')
      .set('Authorization', `Bearer ${unit(laixi.config, 'laixi-command')}`)
      .send({
        area: 'public-order',
        severity: 'P3',
        location: { lat: 36.86, lon: 120.53, zone: 'BZ-01' },
        description: 'Crowd at the east bank market',
        actionRequested: 'Send a patrol',
        expiresAt: new Date(now + 120 * MINUTE).toISOString(),
      });
    expect(raised.status).toBe(201);
    const roster = await request(laixi.url)
      .post('/duty-roster')
      .set('Authorization', `Bearer ${unit(laixi.config, 'laixi-command')}`)
      .send({
        shifts: [
          {
            unit: 'laixi-joint-duty',
            zone: 'BZ-01',
            startsAt: new Date(now).toISOString(),
            endsAt: new Date(now + 60 * MINUTE).toISOString(),
          },
        ],
      });
    expect(roster.status).toBe(201);
    await eventually(async () => {
      const [alerts, shifts] = await Promise.all([
        rows(laiyang, 'select 1 from police_alert'),
        rows(laiyang, 'select 1 from police_shift'),
      ]);
      return alerts.length === 1 && shifts.length === 1 ? true : undefined;
    });
    const feed = await rows<{ seq: string }>(laiyang, 'select seq from police_feed');
    // Damage the projection as a bug would: a version from nowhere, a shift nobody published.
    await rows(laiyang, 'update police_alert set version = 99');
    await rows(laiyang, `update police_shift set unit = 'ghost'`);

    const replay = await request(laiyang.url)
      .post('/bus/replay')
      .set('Authorization', `Bearer ${testToken(laiyang.config, 'operator')}`);
    expect(replay.status).toBe(202);

    await eventually(async () => {
      const [alerts, shifts] = await Promise.all([
        rows<{ version: number }>(laiyang, 'select version from police_alert'),
        rows<{ unit: string }>(laiyang, 'select unit from police_shift'),
      ]);
      return alerts[0]?.version === 1 && shifts[0]?.unit === 'laixi-joint-duty' ? true : undefined;
    }, 60_000);
    expect(await rows(laiyang, 'select seq from police_feed')).toEqual(feed);
  });
});
