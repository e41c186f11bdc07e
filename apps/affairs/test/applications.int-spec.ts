import { createHash, randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RetentionService } from '@app/audit';
import { BusPublisher, Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { AFFAIRS_APPLICATION_SUBMITTED_V1, AFFAIRS_CASE_STATUS_CHANGED_V1 } from '@app/contracts';
import { Role } from '@app/http';
import { Clock } from '@app/platform';
import {
  TestService,
  eventually,
  scanBrokerForClearIdentifiers,
  startTestServices,
  testInfra,
  testRegions,
  testToken,
} from '@app/testing';
import { RegionEncryption } from '../src/keys/region-encryption';
import { affairsModule, creditCode, residentId } from './affairs-fixtures';

interface Application {
  applicationId: string;
  status: string;
  version: number;
  handlingRegion: string;
  deadline: string | null;
  supplement: string[] | null;
  reason: string | null;
  history: { version: number; status: string }[];
}

const MB = 1024 * 1024;
const DAY_MS = 24 * 3600 * 1000;

describe('an application filed in Laixi for a matter Laiyang handles (收受分离)', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let laixi: TestService;
  let laiyang: TestService;
  /** The application the lifecycle test delivers and rates, counted by the statistics test. */
  let deliveredId: string | undefined;

  beforeAll(async () => {
    const services = await startTestServices({ service: 'affairs', regions, appModule: affairsModule(regions) });
    laixi = services.laixi;
    laiyang = services.laiyang;
  });

  afterAll(async () => {
    await Promise.all([laixi?.close(), laiyang?.close()]);
  });

  const as = (service: { config: AppConfig }, role: Role) => `Bearer ${testToken(service.config, role)}`;
  const laiyangEnterprise = (serial: number) => ({
    kind: 'enterprise',
    residentId: residentId('370682', serial),
    name: '王芳',
    mobile: '13912345678',
    creditCode: creditCode('370682', serial),
    enterpriseName: '莱阳双莱食品有限公司',
  });

  /** The materials of a food business licence, `siteMb` of them the floor plan. */
  function foodMaterials(siteMb = 1): Record<string, { content: Buffer; name: string }> {
    return {
      'application-form': { content: randomBytes(2 * MB), name: 'form.pdf' },
      'business-licence': { content: randomBytes(2 * MB), name: 'licence.pdf' },
      'legal-rep-id': { content: randomBytes(MB), name: 'id.jpg' },
      'site-plan': { content: randomBytes(siteMb * MB), name: 'plan.png' },
      'food-safety-rules': { content: randomBytes(MB), name: 'rules.docx' },
    };
  }

  function fileAt(
    service: TestService,
    application: object,
    materials: Record<string, { content: Buffer; name: string }>,
  ) {
    let call = request(service.url)
      .post('/applications')
      .set('Authorization', as(service, 'window-clerk'))
      .field('application', JSON.stringify(application));
    for (const [code, { content, name }] of Object.entries(materials)) call = call.attach(code, content, name);
    return call;
  }

  async function applicationAt(service: TestService, id: string): Promise<Application> {
    const response = await request(service.url)
      .get(`/applications/${id}`)
      .set('Authorization', as(service, 'window-clerk'));
    expect(response.status).toBe(200);
    return response.body as Application;
  }

  /** Waits until the filing city shows `status` (sent back by the handling city). */
  async function statusInLaixi(id: string, status: string): Promise<Application> {
    return eventually(
      async () => {
        const application = await applicationAt(laixi, id);
        return application.status === status ? application : undefined;
      },
      30_000,
      () => `application ${id} ${status} in Laixi`,
    );
  }

  function decide(id: string, decision: object) {
    return request(laiyang.url)
      .post(`/cases/${id}/decisions`)
      .set('Authorization', as(laiyang, 'case-officer'))
      .send(decision);
  }

  async function filed(serial: number, siteMb = 1): Promise<string> {
    const response = await fileAt(
      laixi,
      { matterCode: 'ENT-FOOD-BIZ', applicant: laiyangEnterprise(serial), delivery: 'window' },
      foodMaterials(siteMb),
    );
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ handlingRegion: regions.names.laiyang, status: 'submitted' });
    return (response.body as { applicationId: string }).applicationId;
  }

  it('refuses an invalid application with one problem entry per invalid field', async () => {
    const materials = foodMaterials();
    delete (materials as Record<string, unknown>)['site-plan'];
    materials['business-licence'].name = 'licence.exe';
    const response = await fileAt(
      laixi,
      {
        matterCode: 'ENT-FOOD-BIZ',
        applicant: { ...laiyangEnterprise(1), creditCode: '91370682MA00000014' },
        delivery: 'window',
      },
      materials,
    );
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    const fields = (response.body as { errors: { field: string }[] }).errors.map((error) => error.field);
    expect(fields).toEqual(['applicant.creditCode']);

    const second = await fileAt(
      laixi,
      { matterCode: 'ENT-FOOD-BIZ', applicant: laiyangEnterprise(1), delivery: 'window' },
      { ...materials, 'unknown-paper': { content: randomBytes(10), name: 'x.pdf' } },
    );
    expect(second.status).toBe(400);
    expect((second.body as { errors: { field: string }[] }).errors.map((error) => error.field).sort()).toEqual([
      'materials.business-licence',
      'materials.site-plan',
      'materials.unknown-paper',
    ]);

    const post = await fileAt(
      laixi,
      { matterCode: 'ENT-FOOD-BIZ', applicant: laiyangEnterprise(1), delivery: 'post' },
      foodMaterials(),
    );
    expect(post.status).toBe(400);
    expect((post.body as { errors: { field: string }[] }).errors.map((error) => error.field)).toEqual([
      'postalAddress',
    ]);

    const tooLarge = await fileAt(
      laixi,
      { matterCode: 'ENT-FOOD-BIZ', applicant: laiyangEnterprise(1), delivery: 'window' },
      { ...foodMaterials(), 'legal-rep-id': { content: randomBytes(3 * MB), name: 'id.jpg' } },
    );
    expect(tooLarge.status).toBe(400);
    expect((tooLarge.body as { errors: { field: string }[] }).errors.map((error) => error.field)).toEqual([
      'materials.legal-rep-id',
    ]);

    const person = await fileAt(
      laixi,
      { matterCode: 'ENT-FOOD-BIZ', applicant: { ...laiyangEnterprise(1), kind: 'person' }, delivery: 'window' },
      foodMaterials(),
    );
    expect(person.status).toBe(400);
    expect((person.body as { errors: { field: string }[] }).errors.map((error) => error.field)).toEqual([
      'applicant.kind',
    ]);
  });

  it('carries a 20 MB application to Laiyang in chunks, reassembled with every hash checked; no identity in clear', async () => {
    const materials = foodMaterials(14);
    const total = Object.values(materials).reduce((sum, { content }) => sum + content.length, 0);
    expect(total).toBe(20 * MB);
    const response = await fileAt(
      laixi,
      { matterCode: 'ENT-FOOD-BIZ', applicant: laiyangEnterprise(2), delivery: 'window' },
      materials,
    );
    expect(response.status).toBe(201);
    const id = (response.body as { applicationId: string }).applicationId;
    await statusInLaixi(id, 'received');

    const handled = await request(laiyang.url).get(`/cases/${id}`).set('Authorization', as(laiyang, 'case-officer'));
    expect(handled.status).toBe(200);
    const body = handled.body as {
      filing_region: string;
      identity: { residentId: string; mobile: string };
      materials: { code: string; bytes: number; sha256: string }[];
    };
    expect(body.filing_region).toBe(regions.names.laixi);
    expect(body.identity).toMatchObject({ residentId: residentId('370682', 2), mobile: '13912345678' });
    const expected = Object.entries(materials)
      .map(([code, { content }]) => ({ code, bytes: content.length, sha256: sha256(content) }))
      .sort((a, b) => a.code.localeCompare(b.code));
    expect(body.materials.map(({ code, bytes, sha256 }) => ({ code, bytes, sha256 }))).toEqual(expected);
    // The content itself, byte for byte.
    const [{ content }] = await laiyang.app
      .get(DataSource)
      .query<{ content: Buffer }[]>(
        `select content from affairs_material where side = 'handled' and application_id = $1 and code = 'site-plan'`,
        [id],
      );
    expect(content.equals(materials['site-plan'].content)).toBe(true);

    const found = await scanBrokerForClearIdentifiers({
      brokers: testInfra().kafkaBrokers,
      topics: (topic) => topic.startsWith(regions.names.laixi) || topic.startsWith(regions.names.laiyang),
    });
    expect(found).toEqual([]);
  });

  it('runs the whole lifecycle in Laiyang, each step seen in Laixi; the supplement pauses the clock; 409 when illegal', async () => {
    const id = await filed(3);
    await statusInLaixi(id, 'received');

    expect((await decide(id, { status: 'approved' })).status).toBe(409);
    expect((await decide(id, { status: 'accepted' })).status).toBe(200);
    const accepted = await statusInLaixi(id, 'accepted');
    expect(accepted.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const missing = await decide(id, { status: 'supplement-requested' });
    expect(missing.status).toBe(400);
    expect((missing.body as { errors: { field: string }[] }).errors.map((error) => error.field)).toEqual([
      'supplement',
    ]);
    expect((await decide(id, { status: 'supplement-requested', supplement: ['site-plan'] })).status).toBe(200);
    const requested = await statusInLaixi(id, 'supplement-requested');
    expect(requested.supplement).toEqual(['site-plan']);
    const db = laiyang.app.get(DataSource);
    const pending = () =>
      db.query<{ kind: string }[]>('select kind from affairs_case_deadline where application_id = $1 order by kind', [
        id,
      ]);
    await expect(pending()).resolves.toEqual([]);

    // Ten days later (Laiyang's clock), the applicant brings the new floor plan to Laixi's window.
    laiyang.app.get(Clock).advance(10 * DAY_MS);
    const supplement = await request(laixi.url)
      .post(`/applications/${id}/supplements`)
      .set('Authorization', as(laixi, 'window-clerk'))
      .field('supplement', JSON.stringify({ note: 'plan redrawn to scale' }))
      .attach('site-plan', randomBytes(MB), 'plan-v2.pdf');
    expect(supplement.status).toBe(201);
    const resumed = await statusInLaixi(id, 'supplement-provided');
    expect(resumed.deadline! > accepted.deadline!).toBe(true);
    await expect(pending()).resolves.toEqual([{ kind: 'overdue' }, { kind: 'warning' }]);

    expect((await decide(id, { status: 'accepted' })).status).toBe(409);
    expect((await decide(id, { status: 'under-review' })).status).toBe(200);
    expect((await decide(id, { status: 'denied', reason: 'x' })).status).toBe(400);
    expect((await decide(id, { status: 'approved' })).status).toBe(200);
    expect((await decide(id, { status: 'result-issued' })).status).toBe(200);
    expect((await decide(id, { status: 'delivered', deliveredBy: 'window' })).status).toBe(200);
    const delivered = await statusInLaixi(id, 'delivered');
    expect(delivered.history.map((entry) => entry.status)).toEqual([
      'submitted',
      'received',
      'accepted',
      'supplement-requested',
      'supplement-provided',
      'under-review',
      'approved',
      'result-issued',
      'delivered',
    ]);
    await expect(pending()).resolves.toEqual([]);
    expect((await decide(id, { status: 'under-review' })).status).toBe(409);

    // The applicant rates the handling at Laixi's window (好差评); a low rating says why, and only once.
    const rate = (body: object) =>
      request(laixi.url).post(`/applications/${id}/rating`).set('Authorization', as(laixi, 'window-clerk')).send(body);
    const unexplained = await rate({ score: 2 });
    expect(unexplained.status).toBe(400);
    expect((unexplained.body as { errors: { field: string }[] }).errors[0].field).toBe('reasons');
    expect((await rate({ score: 2, reasons: ['had to come back for the floor plan'] })).status).toBe(201);
    expect((await rate({ score: 5 })).status).toBe(409);
    deliveredId = id;
  });

  it("counts the month's cases per matter and city for each supervising office", async () => {
    expect(deliveredId).toBeDefined();
    const month = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 7);
    const statistics = (service: TestService) =>
      request(service.url).get(`/statistics?month=${month}`).set('Authorization', as(service, 'operator'));
    const handled = await eventually(async () => {
      const response = await statistics(laiyang);
      const figures = (
        response.body as { handledHereForThere: { matterCode: string; ratings: { count: number } }[] }
      ).handledHereForThere.find((entry) => entry.matterCode === 'ENT-FOOD-BIZ');
      return figures && figures.ratings.count === 1 ? figures : undefined;
    });
    expect(handled).toMatchObject({
      filingRegion: regions.names.laixi,
      decided: 1,
      ratings: { count: 1, average: 2, low: [{ score: 2, reasons: ['had to come back for the floor plan'] }] },
    });
    expect((handled as unknown as { received: number }).received).toBeGreaterThanOrEqual(2);
    const filedHere = await statistics(laixi);
    expect(filedHere.status).toBe(200);
    expect(
      (filedHere.body as { filedHereForThere: { matterCode: string; handlingRegion: string; count: number }[] })
        .filedHereForThere,
    ).toEqual([
      { matterCode: 'ENT-FOOD-BIZ', handlingRegion: regions.names.laiyang, count: expect.any(Number) as number },
    ]);
    expect(
      (await request(laixi.url).get('/statistics?month=2026-13').set('Authorization', as(laixi, 'operator'))).status,
    ).toBe(400);
  });

  it('sends a refusal with its reason back to Laixi, and refuses a clerk of Laixi acting on Laiyang’s case', async () => {
    const id = await filed(4);
    await statusInLaixi(id, 'received');
    const other = await request(laixi.url)
      .post(`/cases/${id}/decisions`)
      .set('Authorization', as(laixi, 'case-officer'))
      .send({ status: 'accepted' });
    expect(other.status).toBe(404);
    expect((await decide(id, { status: 'not-accepted', reason: 'not a food business' })).status).toBe(200);
    const refused = await statusInLaixi(id, 'not-accepted');
    expect(refused.reason).toBe('not a food business');

    // Closed, it is kept for its period (AFFAIRS_CASE_RETENTION_DAYS) and then deleted on both sides.
    // Beyond the period whatever the clocks (Laiyang's ran ten days ahead since the lifecycle test).
    const later = new Date(Date.now() + 3700 * DAY_MS);
    await laiyang.app.get(RetentionService).runOnce(later);
    await laixi.app.get(RetentionService).runOnce(later);
    const [[caseRow], [applicationRow]] = await Promise.all([
      laiyang.app.get(DataSource).query<unknown[]>('select 1 from affairs_case where application_id = $1', [id]),
      laixi.app.get(DataSource).query<unknown[]>('select 1 from affairs_application where application_id = $1', [id]),
    ]);
    expect(caseRow).toBeUndefined();
    expect(applicationRow).toBeUndefined();
  });
});

describe('what the affairs services refuse from the bus', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let laixi: TestService;
  let laiyang: TestService;

  beforeAll(async () => {
    const services = await startTestServices({ service: 'affairs', regions, appModule: affairsModule(regions) });
    laixi = services.laixi;
    laiyang = services.laiyang;
  });

  afterAll(async () => {
    await Promise.all([laixi?.close(), laiyang?.close()]);
  });

  const deadLetters = (service: TestService, key: string) =>
    eventually(async () => {
      const rows = await service.app
        .get(DataSource)
        .query<{ type: string; reason: string }[]>('select type, reason from bus_dead_letter where key = $1', [key]);
      return rows.length > 0 ? rows : undefined;
    });

  it('dead-letters an applicant not sealed to the handling city, and a status from a city the application never went to', async () => {
    const id = randomUUID();
    const { laixi: laixiName, laiyang: laiyangName } = regions.names;
    await laixi.app.get(DataSource).transaction(async (manager) => {
      await laixi.app.get(BusPublisher).publish(
        manager,
        AFFAIRS_APPLICATION_SUBMITTED_V1,
        id,
        {
          applicationId: id,
          matterCode: 'PER-MED-OTHER-CITY',
          catalogueVersion: '2026.1',
          applicantKind: 'person',
          person: laixi.app.get(Pseudonymizer).of(residentId('370682', 9)),
          // Sealed to Laixi's own key: Laiyang cannot open it.
          sealed: laixi.app.get(RegionEncryption).sealFor(laixiName, Buffer.from('{}'), `${id}/${laiyangName}`),
          materials: [],
          delivery: 'window',
          submittedAt: new Date().toISOString(),
        },
        { target: laiyangName },
      );
    });
    const [refused] = await deadLetters(laiyang, id);
    expect(refused.type).toBe(AFFAIRS_APPLICATION_SUBMITTED_V1);
    expect(refused.reason).toContain(`not sealed to ${laiyangName}'s key`);
    const cases = await laiyang.app
      .get(DataSource)
      .query<unknown[]>('select 1 from affairs_case where application_id = $1', [id]);
    expect(cases).toEqual([]);

    // Laiyang claims to decide an application Laixi never sent it.
    const foreign = randomUUID();
    await laiyang.app.get(DataSource).transaction(async (manager) => {
      await laiyang.app
        .get(BusPublisher)
        .publish(
          manager,
          AFFAIRS_CASE_STATUS_CHANGED_V1,
          foreign,
          { applicationId: foreign, status: 'approved', version: 5, at: new Date().toISOString() },
          { target: laixiName },
        );
    });
    const [spoken] = await deadLetters(laixi, foreign);
    expect(spoken.reason).toContain(`${laiyangName} spoke for application ${foreign}, which was not sent to it`);
  });
});

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('base64url');
}
