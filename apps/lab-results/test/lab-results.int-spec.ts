import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { LabResultsAppModule } from '../src/app.module';
import { CatalogueService } from '../src/catalogue/catalogue.service';
import { LabConsentService } from '../src/consent/lab-consent.service';
import { LabMetrics } from '../src/lab-results.metrics';
import { BusPublisher, OutboxRelay, Pseudonymizer } from '@app/bus';
import { HEALTH_CONSENT_GRANTED_V1, HEALTH_CONSENT_REVOKED_V1, LAB_RECOGNITION_DECIDED_V1 } from '@app/contracts';
import { Role } from '@app/http';
import { Clock } from '@app/platform';
import {
  CountingAppModule,
  TestService,
  eventually,
  expectReportedHome,
  startTestService,
  startTestServices,
  testRegions,
  testToken,
} from '@app/testing';

const DAY = 24 * 60 * 60 * 1000;
// Synthetic resident IDs (libs/testing/fixtures/resident-ids.json).
const ALICE = '370285196205237809';
const BOB = '370285196908126873';
const CAROL = '370285200402156134';

interface Answer {
  code: string;
  reusable: boolean;
  flagged: boolean;
  reason: string;
  catalogue: { region: string; version: number }[];
  result?: {
    region: string;
    reportId: string;
    reportVersion: number;
    labId: string;
    abnormal: boolean;
    value?: number;
  };
}

interface QueryResult {
  queryId: string;
  answers: Answer[];
}

const auth = (service: TestService, role: Role, org?: string) => ({
  Authorization: `Bearer ${testToken(service.config, role, org)}`,
});

describe('lab results recognised between Laixi and Laiyang', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let lab: Record<'laixi' | 'laiyang', TestService> & { close(): Promise<void> };
  /** Laixi's health-records as its peers see it: the consents it publishes. */
  let health: TestService;
  let laixiClock: Clock;
  let laiyangClock: Clock;
  const labs: Record<string, string> = {};

  const catalogue = {
    laixi: [
      { code: 'CBC', name: 'Complete blood count', unit: '10^9/L', priceFen: 2500, validityDays: 7 },
      { code: 'ALT', name: 'Alanine aminotransferase', unit: 'U/L', priceFen: 1200, validityDays: 7 },
      { code: 'GLU', name: 'Fasting glucose', unit: 'mmol/L', priceFen: 800, validityDays: 7 },
      { code: 'CT-CHEST', name: 'Chest CT', priceFen: 28000, validityDays: 30 },
      { code: 'HBA1C', name: 'Glycated haemoglobin', unit: '%', priceFen: 6000 },
    ],
    laiyang: [
      { code: 'CBC', name: 'Complete blood count', unit: '10^9/L', priceFen: 2000, validityDays: 7 },
      { code: 'ALT', name: 'Alanine aminotransferase', unit: 'U/L', priceFen: 1000, validityDays: 7 },
      { code: 'GLU', name: 'Fasting glucose', unit: 'mmol/L', priceFen: 700, validityDays: 7 },
      { code: 'CT-CHEST', name: 'Chest CT', priceFen: 30000, validityDays: 30 },
      { code: 'HBA1C', name: 'Glycated haemoglobin', unit: '%', priceFen: 5000, validityDays: 90 },
    ],
  };

  const patient = (residentId: string) => lab.laixi.app.get(Pseudonymizer).of(residentId);
  const ago = (clock: Clock, days: number) => new Date(clock.now().getTime() - days * DAY).toISOString();

  /**
   * Laixi's health-records publishes a consent as it will: a directed copy to the grantee and to its own region. The
   * publisher is a bare service of the bus started as Laixi's health-records (its topics, its signature), so the
   * consent reaches both lab-results nodes over Kafka as health-records' own would.
   */
  async function grantConsent(residentId: string): Promise<string> {
    const consentId = randomUUID();
    const data = {
      consentId,
      patient: patient(residentId),
      purpose: 'continuity-of-care' as const,
      grantees: [regions.names.laiyang],
      validFrom: ago(laixiClock, 30),
      grantedAt: laixiClock.now().toISOString(),
    };
    await health.app.get(DataSource).transaction((manager) =>
      health.app.get(BusPublisher).publishMany(
        manager,
        [regions.names.laiyang, regions.names.laixi].map((target) => ({
          type: HEALTH_CONSENT_GRANTED_V1,
          subject: data.patient,
          data,
          options: { target },
        })),
      ),
    );
    return consentId;
  }

  async function revokeConsent(residentId: string, consentId: string): Promise<void> {
    const data = { consentId, patient: patient(residentId), revokedAt: laixiClock.now().toISOString() };
    await health.app.get(DataSource).transaction((manager) =>
      health.app.get(BusPublisher).publishMany(
        manager,
        [regions.names.laiyang, regions.names.laixi].map((target) => ({
          type: HEALTH_CONSENT_REVOKED_V1,
          subject: data.patient,
          data,
          options: { target },
        })),
      ),
    );
  }

  async function consentKnownInLaixi(residentId: string, known = true): Promise<void> {
    const consent = lab.laixi.app.get(LabConsentService);
    const db = lab.laixi.app.get(DataSource);
    await eventually(async () => {
      const targets = await consent.shareTargets(db, patient(residentId), laixiClock.now());
      return targets.length > 0 === known ? true : undefined;
    });
  }

  async function issue(body: Record<string, unknown>) {
    const response = await request(lab.laixi.url)
      .post('/reports')
      .set(auth(lab.laixi, 'his', 'lx-peoples'))
      .send(body);
    expect(response.status).toBe(201);
    return response.body as { reportId: string; version: number; sentTo: string[] };
  }

  function report(reportId: string, residentId: string, items: Record<string, unknown>[], overrides = {}) {
    return {
      reportId,
      residentId,
      labId: 'LX-A',
      labName: 'Laixi lab A',
      specimen: 'venous blood',
      collectedAt: ago(laixiClock, 2),
      reportedAt: ago(laixiClock, 1.9),
      items,
      ...overrides,
    };
  }

  const cbc = (value: number, abnormal = false) => ({
    code: 'CBC',
    name: 'Complete blood count',
    value,
    unit: '10^9/L',
    referenceRange: '3.5-9.5',
    abnormal,
  });

  async function ask(residentId: string, codes: string[], org = 'ly-central'): Promise<QueryResult> {
    const response = await request(lab.laiyang.url)
      .post('/reuse-queries')
      .set(auth(lab.laiyang, 'his', org))
      .send({ residentId, codes });
    expect(response.status).toBe(201);
    return response.body as QueryResult;
  }

  const answerOf = (result: QueryResult, code: string) => result.answers.find((answer) => answer.code === code)!;

  /** Asks until the answer for `code` has the expected reason (events from Laixi are on their way). */
  async function askUntil(residentId: string, code: string, reason: string, reportId?: string): Promise<Answer> {
    let last: Answer | undefined;
    return eventually(
      async () => {
        last = answerOf(await ask(residentId, [code]), code);
        return last.reason === reason && (!reportId || last.result?.reportId === reportId) ? last : undefined;
      },
      30_000,
      () => `${code} answered ${reason} (last: ${last?.reason})`,
    );
  }

  beforeAll(async () => {
    const env = { HEARTBEAT_INTERVAL_MS: '60000' };
    [lab, health] = (await Promise.all([
      startTestServices({ service: 'lab-results', regions, env, appModule: (c) => LabResultsAppModule.register(c) }),
      startTestService({
        service: 'health-records',
        regions,
        region: 'laixi',
        env,
        appModule: (c) => CountingAppModule.register(c),
      }),
    ])) as [typeof lab, TestService];
    laixiClock = lab.laixi.app.get(Clock);
    laiyangClock = lab.laiyang.app.get(Clock);

    for (const city of ['laixi', 'laiyang'] as const) {
      const published = await request(lab[city].url)
        .post('/catalogue/versions')
        .set(auth(lab[city], 'operator'))
        .send({ items: catalogue[city] });
      expect(published.status).toBe(201);
    }
    const qualify = async (labId: string) => {
      const response = await request(lab.laixi.url)
        .post('/labs/qualifications')
        .set(auth(lab.laixi, 'operator'))
        .send({
          labId,
          labName: `Laixi lab ${labId}`,
          accreditation: `CNAS ${labId}`,
          eqaResult: 'pass',
          validFrom: ago(laixiClock, 365),
          validUntil: ago(laixiClock, -365),
        });
      expect(response.status).toBe(201);
      labs[labId] = (response.body as { qualificationId: string }).qualificationId;
    };
    for (const labId of ['LX-A', 'LX-B', 'LX-C']) await qualify(labId);
    await Promise.all([ALICE, BOB].map((residentId) => grantConsent(residentId)));
    await Promise.all([ALICE, BOB].map((residentId) => consentKnownInLaixi(residentId)));
    // Laiyang knows both catalogues and Laixi's labs before the tests ask anything.
    await eventually(async () => {
      const joint = await request(lab.laiyang.url)
        .get('/catalogue/joint')
        .query({ peer: regions.names.laixi })
        .set(auth(lab.laiyang, 'his'));
      const known = await request(lab.laiyang.url).get('/labs/qualifications').set(auth(lab.laiyang, 'operator'));
      return joint.status === 200 && (known.body as unknown[]).length === 3 ? true : undefined;
    });
  });

  afterAll(async () => {
    await Promise.all([lab?.close(), health?.close()]);
  });

  it('reuses a Laixi result in Laiyang within its window and refuses it the day after the window closes', async () => {
    expect((await issue(report('R-CBC', ALICE, [cbc(6.1)]))).sentTo).toEqual([regions.names.laiyang]);
    const reusable = await askUntil(ALICE, 'CBC', 'REUSABLE');
    expect(reusable).toMatchObject({
      reusable: true,
      flagged: false,
      result: { region: regions.names.laixi, reportId: 'R-CBC', reportVersion: 1, labId: 'LX-A', value: 6.1 },
      catalogue: [
        { region: regions.names.laiyang, version: 1 },
        { region: regions.names.laixi, version: 1 },
      ],
    });

    // Collected 2 days ago, valid 7 days: day 8 after collection is the day after the window closes.
    laiyangClock.advance(6 * DAY);
    try {
      expect(answerOf(await ask(ALICE, ['CBC']), 'CBC').reason).toBe('OUTSIDE_VALIDITY_WINDOW');
    } finally {
      laiyangClock.advance(-6 * DAY);
    }
    expect(answerOf(await ask(ALICE, ['CBC']), 'CBC').reason).toBe('REUSABLE');
  });

  it('judges the lab at the time of collection: suspended before it refuses, suspended after it does not', async () => {
    const suspend = async (labId: string, days: number) => {
      const response = await request(lab.laixi.url)
        .post(`/labs/qualifications/${labs[labId]}/suspension`)
        .set(auth(lab.laixi, 'operator'))
        .send({ suspendedFrom: ago(laixiClock, days), reason: 'EQA failed' });
      expect(response.status).toBe(200);
    };
    await suspend('LX-B', 4);
    await suspend('LX-C', 1);
    await eventually(async () => {
      const known = await request(lab.laiyang.url).get('/labs/qualifications').set(auth(lab.laiyang, 'operator'));
      const suspended = (known.body as { suspendedFrom: string | null }[]).filter((q) => q.suspendedFrom !== null);
      return suspended.length === 2 ? true : undefined;
    });
    const alt = { code: 'ALT', name: 'ALT', value: 21, unit: 'U/L', abnormal: false };
    const glu = { code: 'GLU', name: 'Glucose', value: 5.2, unit: 'mmol/L', abnormal: false };
    await issue(report('R-ALT', ALICE, [alt], { labId: 'LX-B', labName: 'Laixi lab LX-B' }));
    await issue(report('R-GLU', ALICE, [glu], { labId: 'LX-C', labName: 'Laixi lab LX-C' }));

    await askUntil(ALICE, 'GLU', 'REUSABLE');
    const answers = await ask(ALICE, ['ALT', 'GLU']);
    expect(answerOf(answers, 'ALT')).toMatchObject({ reason: 'LAB_NOT_QUALIFIED', reusable: false });
    expect(answerOf(answers, 'GLU')).toMatchObject({ reason: 'REUSABLE', result: { labId: 'LX-C' } });
  });

  it('follows amendments and cancellation of a report: latest version counts', async () => {
    const ct = (findings: string, abnormal: boolean) => ({
      code: 'CT-CHEST',
      name: 'Chest CT',
      resultText: findings,
      abnormal,
    });
    const base = report('R-CT', BOB, [ct('no abnormality', false)], { specimen: 'imaging' });
    await issue(base);
    expect(await askUntil(BOB, 'CT-CHEST', 'REUSABLE')).toMatchObject({ result: { reportVersion: 1 } });
    const beforeAmendment = await ask(BOB, ['CT-CHEST']);

    const { reportId, residentId, ...content } = base;
    expect([reportId, residentId]).toEqual(['R-CT', BOB]);
    const his = auth(lab.laixi, 'his', 'lx-peoples');
    const amended = await request(lab.laixi.url)
      .post('/reports/R-CT/amendments')
      .set(his)
      .send({ ...content, items: [ct('nodule 6 mm, right upper lobe', true)] });
    expect(amended.status).toBe(201);
    expect(amended.body).toMatchObject({ version: 2, status: 'amended', sentTo: [regions.names.laiyang] });
    expect(await askUntil(BOB, 'CT-CHEST', 'ABNORMAL_RESULT')).toMatchObject({
      reusable: true,
      flagged: true,
      result: { reportVersion: 2, abnormal: true },
    });
    const stale = await request(lab.laiyang.url)
      .post(`/reuse-queries/${beforeAmendment.queryId}/decisions`)
      .set(auth(lab.laiyang, 'his', 'ly-central'))
      .send({ code: 'CT-CHEST', outcome: 'accepted' });
    expect([stale.status, stale.body.code]).toEqual([409, 'LAB.REPORT_CHANGED_SINCE_QUERY']);

    // A second amendment withdraws the CT result (the report now carries a blood count only).
    await request(lab.laixi.url)
      .post('/reports/R-CT/amendments')
      .set(his)
      .send({ ...content, items: [cbc(5.5)] })
      .expect(201);
    expect(await askUntil(BOB, 'CT-CHEST', 'REPORT_AMENDED')).toMatchObject({ result: { reportVersion: 3 } });

    const cancelled = await request(lab.laixi.url)
      .post('/reports/R-CT/cancellation')
      .set(his)
      .send({ reason: 'wrong patient' });
    expect(cancelled.status).toBe(200);
    await askUntil(BOB, 'CBC', 'REPORT_CANCELLED');

    const again = await request(lab.laixi.url).post('/reports/R-CT/amendments').set(his).send(content);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('LAB.REPORT_CANCELLED');
    const other = await request(lab.laixi.url)
      .post('/reports/R-CBC/cancellation')
      .set(auth(lab.laixi, 'his', 'another-hospital'))
      .send({ reason: 'not mine' });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('LAB.NOT_YOUR_REPORT');
  });

  it('does not recognise an item only one city recognises, and names both catalogue versions', async () => {
    await issue(report('R-HBA1C', ALICE, [{ code: 'HBA1C', name: 'HbA1c', value: 5.6, unit: '%', abnormal: false }]));
    const answer = await askUntil(ALICE, 'HBA1C', 'NOT_IN_JOINT_CATALOGUE', 'R-HBA1C');
    expect(answer).toMatchObject({
      reusable: false,
      result: { reportId: 'R-HBA1C' },
      catalogue: [
        { region: regions.names.laiyang, version: 1 },
        { region: regions.names.laixi, version: 1 },
      ],
    });
    const joint = await request(lab.laiyang.url)
      .get('/catalogue/joint')
      .query({ peer: regions.names.laixi })
      .set(auth(lab.laiyang, 'his'));
    expect((joint.body as { items: { code: string }[] }).items.map((item) => item.code).sort()).toEqual([
      'ALT',
      'CBC',
      'CT-CHEST',
      'GLU',
    ]);
  });

  it('reports decisions back to the issuing city and counts them once, even when they are delivered again', async () => {
    const query = await ask(ALICE, ['CBC', 'GLU', 'ALT']);
    const decide = (body: Record<string, unknown>, org = 'ly-central') =>
      request(lab.laiyang.url)
        .post(`/reuse-queries/${query.queryId}/decisions`)
        .set(auth(lab.laiyang, 'his', org))
        .send(body);
    expect((await decide({ code: 'CBC', outcome: 'accepted' })).status).toBe(201);
    expect((await decide({ code: 'GLU', outcome: 'accepted' })).status).toBe(201);
    expect((await decide({ code: 'ALT', outcome: 'retested', reasonCode: 'NOT_REUSABLE' })).status).toBe(201);

    const twice = await decide({ code: 'CBC', outcome: 'retested', reasonCode: 'CLINICAL_CHANGE' });
    expect([twice.status, twice.body.code]).toEqual([409, 'LAB.ALREADY_DECIDED']);
    const notAsked = await decide({ code: 'HBA1C', outcome: 'accepted' });
    expect([notAsked.status, notAsked.body.code]).toEqual([400, 'LAB.RESULT_NOT_QUERIED']);
    const stranger = await decide({ code: 'CBC', outcome: 'accepted' }, 'another-hospital');
    expect([stranger.status, stranger.body.code]).toEqual([403, 'LAB.NOT_YOUR_QUERY']);
    const noReason = await decide({ code: 'GLU', outcome: 'retested' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reasonCode' })]);
    const unknownQuery = await request(lab.laiyang.url)
      .post(`/reuse-queries/${randomUUID()}/decisions`)
      .set(auth(lab.laiyang, 'his', 'ly-central'))
      .send({ code: 'CBC', outcome: 'accepted' });
    expect([unknownQuery.status, unknownQuery.body.code]).toEqual([404, 'LAB.QUERY_NOT_FOUND']);

    const expected = {
      recognised: 2,
      retested: 1,
      retestReasons: { NOT_REUSABLE: 1 },
      testsSaved: 2,
      costSavedFen: 2000 + 700,
    };
    const month = monthOf(laiyangClock.now());
    const statistics = async (service: TestService) => {
      const response = await request(service.url).get('/statistics').query({ month }).set(auth(service, 'operator'));
      expect(response.status).toBe(200);
      return response.body as { partners: { partner: string; reusedHere: unknown; reusedThere: unknown }[] };
    };
    const inLaixi = async () =>
      (await statistics(lab.laixi)).partners.find((p) => p.partner === regions.names.laiyang)!;
    // The three decisions are three events: wait for all of them, not only the first two.
    await eventually(async () => {
      const { recognised, retested } = (await inLaixi()).reusedThere as { recognised: number; retested: number };
      return (recognised === 2 && retested === 1) || undefined;
    });
    expect((await inLaixi()).reusedThere).toEqual(expected);
    const inLaiyang = (await statistics(lab.laiyang)).partners.find((p) => p.partner === regions.names.laixi)!;
    expect(inLaiyang.reusedHere).toEqual(expected);

    // As after a relay crash between sending and marking: the decisions go out again.
    const [, marked] = await lab.laiyang.app
      .get(DataSource)
      .query<[unknown, number]>(`update bus_outbox set sent_at = null where type = $1`, [LAB_RECOGNITION_DECIDED_V1]);
    expect(marked).toBe(3);
    await lab.laiyang.app.get(OutboxRelay).drain();
    await eventually(async () => {
      const metrics = await request(lab.laixi.url).get('/metrics');
      const pattern = new RegExp(
        `bus_events_consumed_total\\{[^}]*topic="${regions.names.laiyang}\\.lab\\.${regions.names.laixi}"[^}]*outcome="duplicate"[^}]*\\} (\\d+)`,
      );
      const duplicates = pattern.exec(metrics.text);
      return duplicates && Number(duplicates[1]) >= 3 ? true : undefined;
    });
    expect((await inLaixi()).reusedThere).toEqual(expected);

    // A later catalogue version takes effect on its date and leaves past decisions as they were.
    const items = catalogue.laiyang.map((item) => (item.code === 'CBC' ? { ...item, validityDays: undefined } : item));
    const v2 = await request(lab.laiyang.url)
      .post('/catalogue/versions')
      .set(auth(lab.laiyang, 'operator'))
      .send({ effectiveFrom: new Date(laiyangClock.now().getTime() + 2 * DAY).toISOString(), items });
    expect(v2.body).toMatchObject({ version: 2 });
    expect(answerOf(await ask(ALICE, ['CBC']), 'CBC').reason).toBe('REUSABLE');
    laiyangClock.advance(2 * DAY + 60_000);
    try {
      expect(answerOf(await ask(ALICE, ['CBC']), 'CBC')).toMatchObject({
        reason: 'NOT_IN_JOINT_CATALOGUE',
        catalogue: [
          { region: regions.names.laiyang, version: 2 },
          { region: regions.names.laixi, version: 1 },
        ],
      });
    } finally {
      laiyangClock.advance(-(2 * DAY + 60_000));
    }
    expect(inLaiyang.reusedHere).toEqual(
      (await statistics(lab.laiyang)).partners.find((p) => p.partner === regions.names.laixi)!.reusedHere,
    );
  });

  it('sends results only under consent: withheld without it, sent when granted later, purged when revoked', async () => {
    await consentKnownInLaixi(CAROL, false);
    expect((await issue(report('R-CAROL', CAROL, [cbc(7.2)]))).sentTo).toEqual([]);
    expect(answerOf(await ask(CAROL, ['CBC']), 'CBC')).toEqual(expect.objectContaining({ reason: 'NO_CONSENT' }));

    const consentId = await grantConsent(CAROL);
    expect(await askUntil(CAROL, 'CBC', 'REUSABLE')).toMatchObject({ result: { reportId: 'R-CAROL', value: 7.2 } });
    const audit = await lab.laiyang.app
      .get(DataSource)
      .query<{ id: string; resources: string[] }[]>(
        `select id::text as id, resources from audit_log where subject = $1 order by id`,
        [patient(CAROL)],
      );
    expect(audit.at(-1)!.resources).toEqual([`${regions.names.laixi}/R-CAROL`]);
    await expectReportedHome(lab.laiyang, lab.laixi, patient(CAROL), {
      auditEntryId: audit.at(-1)!.id,
      action: 'lab.results.reuse-query',
      purpose: 'continuity-of-care',
      resources: [`${regions.names.laixi}/R-CAROL`],
    });

    const purged = async () =>
      (await lab.laiyang.app.get(LabMetrics).purged.get()).values.find(
        (value) => value.labels.origin === regions.names.laixi,
      )?.value ?? 0;
    const purgedBefore = await purged();
    await revokeConsent(CAROL, consentId);
    await askUntil(CAROL, 'CBC', 'NO_CONSENT');
    await eventually(async () => {
      const [{ n }] = await lab.laiyang.app
        .get(DataSource)
        .query<{ n: number }[]>('select count(*)::int as n from lab_report where patient = $1', [patient(CAROL)]);
      return n === 0 ? true : undefined;
    });
    // One report was forgotten, and the metric counts it once.
    expect((await purged()) - purgedBefore).toBe(1);
  });

  it('rebuilds what peers sent from the topics and converges to the same answers, revocations included', async () => {
    const db = lab.laiyang.app.get(DataSource);
    const inbox = async () => (await db.query<{ n: number }[]>('select count(*)::int as n from bus_inbox'))[0].n;
    const received = await inbox();
    const before = await ask(ALICE, ['CBC', 'GLU', 'ALT', 'HBA1C']);

    const replay = await request(lab.laiyang.url).post('/bus/replay').set(auth(lab.laiyang, 'operator'));
    expect(replay.status).toBe(202);
    expect(await inbox()).toBe(0);
    await eventually(async () => ((await inbox()) >= received ? true : undefined));

    const strip = (result: QueryResult) => result.answers.map((a) => [a.code, a.reason, a.result?.reportId]);
    expect(strip(await ask(ALICE, ['CBC', 'GLU', 'ALT', 'HBA1C']))).toEqual(strip(before));
    expect(answerOf(await ask(CAROL, ['CBC']), 'CBC').reason).toBe('NO_CONSENT');
    const [{ n }] = await db.query<{ n: number }[]>('select count(*)::int as n from lab_report where patient = $1', [
      patient(CAROL),
    ]);
    expect(n).toBe(0);
  });

  it('answers bad input with problem details', async () => {
    const his = auth(lab.laixi, 'his', 'lx-peoples');
    const post = (body: Record<string, unknown>, headers = his) =>
      request(lab.laixi.url).post('/reports').set(headers).send(body);

    const unknown = await post(
      report('R-BAD-1', ALICE, [{ code: 'XYZ', name: 'x', resultText: 'x', abnormal: false }]),
    );
    expect([unknown.status, unknown.body.code]).toEqual([400, 'LAB.UNKNOWN_TEST_CODE']);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    const late = await post(
      report('R-BAD-2', ALICE, [cbc(5)], { collectedAt: ago(laixiClock, 1), reportedAt: ago(laixiClock, 2) }),
    );
    expect([late.status, late.body.code]).toEqual([400, 'LAB.COLLECTED_AFTER_REPORT']);
    const unitless = await post(report('R-BAD-3', ALICE, [{ code: 'CBC', name: 'CBC', value: 5, abnormal: false }]));
    expect([unitless.status, unitless.body.code]).toEqual([400, 'LAB.UNIT_REQUIRED']);
    const badId = await post(report('R-BAD-4', '370285196205237800', [cbc(5)]));
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toEqual([expect.objectContaining({ field: 'residentId' })]);
    const duplicate = await post(report('R-CBC', ALICE, [cbc(5)]));
    expect([duplicate.status, duplicate.body.code]).toEqual([409, 'LAB.REPORT_EXISTS']);

    expect((await post(report('R-BAD-5', ALICE, [cbc(5)]), auth(lab.laixi, 'operator'))).status).toBe(403);
    const foreign = await post(report('R-BAD-6', ALICE, [cbc(5)]), {
      Authorization: `Bearer ${testToken(lab.laiyang.config, 'his', 'ly-central')}`,
    });
    expect([foreign.status, foreign.body.code]).toEqual([403, 'AUTH.OTHER_CITY']);
    expect(
      (
        await request(lab.laixi.url)
          .post('/reports')
          .send(report('R-BAD-7', ALICE, [cbc(5)]))
      ).status,
    ).toBe(401);

    const unknownCode = await request(lab.laiyang.url)
      .post('/reuse-queries')
      .set(auth(lab.laiyang, 'his', 'ly-central'))
      .send({ residentId: ALICE, codes: ['CBC', 'NOPE'] });
    expect([unknownCode.status, unknownCode.body.code]).toEqual([400, 'LAB.UNKNOWN_TEST_CODE']);
    const past = await request(lab.laiyang.url)
      .post('/catalogue/versions')
      .set(auth(lab.laiyang, 'operator'))
      .send({ effectiveFrom: ago(laiyangClock, 1), items: catalogue.laiyang });
    expect([past.status, past.body.code]).toEqual([400, 'LAB.CATALOGUE_EFFECTIVE_IN_PAST']);
    const month = await request(lab.laiyang.url)
      .get('/statistics')
      .query({ month: '2026-13' })
      .set(auth(lab.laiyang, 'operator'));
    expect(month.status).toBe(400);
    expect(month.body.errors).toEqual([expect.objectContaining({ field: 'month' })]);
  });

  it('serves its metrics and its OpenAPI document', async () => {
    const metrics = await request(lab.laiyang.url).get('/metrics');
    expect(metrics.text).toMatch(/lab_reuse_answers_total\{[^}]*reason="REUSABLE"[^}]*\} [1-9]/);
    expect(metrics.text).toMatch(/lab_reuse_query_seconds_count/);
    const docs = await request(lab.laiyang.url).get('/docs-json');
    expect(Object.keys(docs.body.paths as object)).toEqual(
      expect.arrayContaining(['/reports', '/reuse-queries', '/reuse-queries/{queryId}/decisions', '/statistics']),
    );
  });

  it('sends a catalogue of 5,000 items in parts the peer holds complete (one event of it would outgrow the bus)', async () => {
    const effectiveFrom = new Date(laixiClock.now().getTime() + 730 * DAY).toISOString();
    const items = Array.from({ length: 5000 }, (_, i) => ({
      code: `BIG-${i}`,
      name: `Item ${i} `.padEnd(200, 'x'),
      unit: 'mmol/L',
      priceFen: 100 + i,
      validityDays: 30,
    }));
    expect(Buffer.byteLength(JSON.stringify(items))).toBeGreaterThan(1_048_576);
    const { version } = await lab.laixi.app.get(CatalogueService).publish({ effectiveFrom, items });

    const held = await eventually(async () => {
      const response = await request(lab.laiyang.url)
        .get('/catalogue')
        .query({ region: regions.names.laixi, at: effectiveFrom })
        .set(auth(lab.laiyang, 'operator'));
      return response.status === 200 && response.body.version === version
        ? (response.body as { items: { code: string }[] })
        : undefined;
    }, 60_000);
    expect(held.items).toHaveLength(5000);
    const [{ parts }] = await lab.laixi.app.get(DataSource).query<{ parts: number }[]>(
      `select count(*)::int as parts from bus_outbox where type = 'cn.shuanglai.lab.catalogue.published.v2'
          and (payload::json->>'version')::int = $1`,
      [version],
    );
    expect(parts).toBe(20);
  });
});

/** The calendar month of an instant in China time (UTC+8). */
function monthOf(at: Date): string {
  return new Date(at.getTime() + 8 * 60 * 60 * 1000).toISOString().slice(0, 7);
}
