import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { AFFAIRS_CASE_CLOCK_ALERTED_V1 } from '@app/contracts';
import { dropDatabase } from '@app/database';
import { startServiceApp } from '@app/platform';
import { TestService, eventually, startTestServices, testRegions, testToken } from '@app/testing';
import { ClockAlertScheduler } from '../src/supervision/clock-alert.scheduler';
import { affairsModule, creditCode, residentId } from './affairs-fixtures';

const DAY_MS = 24 * 3600 * 1000;

describe('clock alerts of a case handled in Laiyang when its service restarts', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  const appModule = affairsModule(regions);
  let laixi: TestService;
  /** Laiyang handles the case; it is restarted (its database kept), so its app is swapped. */
  let laiyang: { app: INestApplication; config: AppConfig; url: string };

  beforeAll(async () => {
    const services = await startTestServices({ service: 'affairs', regions, appModule });
    laixi = services.laixi;
    laiyang = services.laiyang;
  });

  afterAll(async () => {
    await Promise.all([laixi?.close(), laiyang?.app.close().then(() => dropDatabase(laiyang.config.databaseUrl))]);
  });

  /** Closes Laiyang's service and starts it again on the same database, its clock `offsetMs` ahead. */
  async function restartLaiyang(offsetMs: number): Promise<void> {
    await laiyang.app.close();
    const config = new AppConfig({ ...laiyang.config, clockOffsetMs: offsetMs });
    laiyang = { app: await startServiceApp(config, appModule), config, url: laiyang.url };
  }

  const alertsPublished = async (id: string) => {
    const [{ count }] = await laiyang.app
      .get(DataSource)
      .query<{ count: number }[]>(`select count(*)::int as count from bus_outbox where type = $1 and key = $2`, [
        AFFAIRS_CASE_CLOCK_ALERTED_V1,
        id,
      ]);
    return count;
  };

  it('warns at 80 % and escalates an overdue case exactly once, across restarts, and Laixi hears both', async () => {
    const filed = await request(laixi.url)
      .post('/applications')
      .set('Authorization', `Bearer ${testToken(laixi.config, 'window-clerk')}`)
      .field(
        'application',
        JSON.stringify({
          matterCode: 'ENT-REG-LLC-EST',
          applicant: {
            kind: 'enterprise',
            residentId: residentId('370682', 7),
            name: '李强',
            mobile: '13712345678',
            creditCode: creditCode('370682', 7),
            enterpriseName: '莱阳液冷科技有限公司',
          },
          delivery: 'window',
        }),
      )
      .attach('application-form', randomBytes(1024), 'form.pdf')
      .attach('legal-rep-id', randomBytes(1024), 'id.jpg')
      .attach('articles', randomBytes(1024), 'articles.pdf')
      .attach('premises-proof', randomBytes(1024), 'lease.pdf');
    expect(filed.status).toBe(201);
    const id = (filed.body as { applicationId: string }).applicationId;
    const officer = () => `Bearer ${testToken(laiyang.config, 'case-officer')}`;
    await eventually(async () => {
      const found = await request(laiyang.url).get(`/cases/${id}`).set('Authorization', officer());
      return found.status === 200 ? true : undefined;
    });
    const accepted = await request(laiyang.url)
      .post(`/cases/${id}/decisions`)
      .set('Authorization', officer())
      .send({ status: 'accepted' });
    expect(accepted.status).toBe(200);
    await expect(alertsPublished(id)).resolves.toBe(0);

    // A month later (the promised limit is one working day), after a restart: the wait survived it.
    await restartLaiyang(30 * DAY_MS);
    await eventually(async () => ((await alertsPublished(id)) === 2 ? true : undefined));
    const alerts = await eventually(async () => {
      const response = await request(laixi.url)
        .get(`/applications/${id}`)
        .set('Authorization', `Bearer ${testToken(laixi.config, 'window-clerk')}`);
      const found = (response.body as { clockAlerts: { kind: string }[] }).clockAlerts;
      return found.length === 2 ? found : undefined;
    });
    expect(alerts.map((alert) => alert.kind).sort()).toEqual(['overdue', 'warning']);
    const supervision = await request(laiyang.url)
      .get('/supervision/clock-alerts')
      .set('Authorization', `Bearer ${testToken(laiyang.config, 'operator')}`);
    expect(supervision.status).toBe(200);
    expect(
      (supervision.body as { application_id: string; kind: string }[])
        .filter((alert) => alert.application_id === id)
        .map((alert) => alert.kind)
        .sort(),
    ).toEqual(['overdue', 'warning']);

    // Restarted again, still past the deadline: nothing is due any more, nothing is published again.
    await restartLaiyang(31 * DAY_MS);
    await expect(laiyang.app.get(ClockAlertScheduler).runDue()).resolves.toEqual([]);
    await expect(alertsPublished(id)).resolves.toBe(2);
  });
});
