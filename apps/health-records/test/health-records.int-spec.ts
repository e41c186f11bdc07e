import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource, EntityManager } from 'typeorm';
import { HealthRecordsAppModule } from '../src/app.module';
import { HealthAccessReportsShared1796100000000 } from '../src/migrations/1796100000000-health-access-reports-shared';
import { BookingView } from '../src/booking/booking-queries.service';
import { ConsentView } from '../src/consent/consent-queries.service';
import { SharedRecordsProjectionService } from '../src/sharing/shared-records-projection.service';
import { SharedDocumentView } from '../src/sharing/shared-records-queries.service';
import { Pseudonymizer, residentIdCheckCharacter } from '@app/bus';
import { HEALTH_BOOKING_ANSWERED_V1 } from '@app/contracts';
import { dropDatabase } from '@app/database';
import { repoRoot } from '@app/embedded';
import { Role } from '@app/http';
import { Clock, startServiceApp } from '@app/platform';
import { TestService, eventually, expectReportedHome, startTestServices, testRegions, testToken } from '@app/testing';

const fixtures = JSON.parse(
  readFileSync(join(repoRoot(), 'libs', 'testing', 'fixtures', 'resident-ids.json'), 'utf8'),
) as { valid: { id: string; city: string }[] };
const laixiResidents = fixtures.valid.filter((resident) => resident.city === 'laixi').map((resident) => resident.id);

const as = (service: TestService, role: Role = 'his', org = 'hospital-1') => ({
  Authorization: `Bearer ${testToken(service.config, role, org)}`,
});

const fieldsOf = (problem: { errors: { field: string }[] }) => problem.errors.map((error) => error.field);

let requestCounter = 0;
const requestId = () => `req-${Date.now()}-${++requestCounter}`;

function document(residentId: string, overrides: object = {}) {
  return {
    requestId: requestId(),
    residentId,
    kind: 'discharge-summary',
    typeCode: 'C0032',
    author: { name: 'Dr. Wang Li', role: 'attending physician' },
    hospital: 'Laixi People’s Hospital',
    encounterAt: '2026-11-20T09:30:00+08:00',
    body: { diagnosis: [{ code: 'I10', system: 'ICD-10', display: 'Essential hypertension' }] },
    ...overrides,
  };
}

describe('health-records across two cities', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let services: Awaited<ReturnType<typeof startTestServices>>;
  let laixi: TestService;
  let laiyang: TestService;
  let laiyangApp: INestApplication;

  const sharedQuery = (residentId: string, purpose = 'continuity-of-care') =>
    request(laiyang.url)
      .post('/shared-records/query')
      .set(as(laiyang, 'his', 'laiyang-central'))
      .send({ residentId, purpose });
  const replicaCount = async (residentId: string) => {
    const response = await sharedQuery(residentId);
    return response.status === 200 ? (response.body as unknown[]).length : 0;
  };
  const grant = async (residentId: string) => {
    const response = await request(laixi.url)
      .post('/consents')
      .set(as(laixi))
      .send({ residentId, grantees: [regions.names.laiyang] });
    expect(response.status).toBe(201);
    return response.body.consentId as string;
  };

  beforeAll(async () => {
    services = await startTestServices({
      service: 'health-records',
      regions,
      appModule: (config) => HealthRecordsAppModule.register(config),
      env: { HEARTBEAT_INTERVAL_MS: '60000' },
    });
    ({ laixi, laiyang } = services);
    laiyangApp = laiyang.app;
  });

  afterAll(async () => {
    await laixi?.close();
    await laiyangApp?.close();
    if (laiyang) await dropDatabase(laiyang.config.databaseUrl);
  });

  it('refuses bad input and other regions with problem details', async () => {
    const wrongId = await request(laixi.url).post('/records').set(as(laixi)).send(document('370285196205237800'));
    expect(wrongId.status).toBe(400);
    expect(wrongId.headers['content-type']).toContain('application/problem+json');
    expect(fieldsOf(wrongId.body)).toEqual(['residentId']);

    const wrongRegion = await request(laixi.url)
      .post('/records')
      .set({ Authorization: `Bearer ${testToken(laiyang.config, 'his')}` })
      .send(document(laixiResidents[0]));
    expect(wrongRegion.status).toBe(403);
    expect(wrongRegion.body.code).toBe('AUTH.OTHER_CITY');

    const wrongRole = await request(laixi.url).post('/records').set(as(laixi, 'police-unit')).send(document('x'));
    expect(wrongRole.status).toBe(403);

    const noPurpose = await request(laiyang.url)
      .post('/shared-records/query')
      .set(as(laiyang))
      .send({ residentId: laixiResidents[0] });
    expect(noPurpose.status).toBe(400);
    expect(fieldsOf(noPurpose.body)).toEqual(['purpose']);

    const openApi = await request(laixi.url).get('/docs-json');
    expect(Object.keys(openApi.body.paths)).toEqual(
      expect.arrayContaining(['/records', '/consents', '/shared-records/query', '/bookings', '/slots']),
    );

    const unknownPatient = await sharedQuery(laixiResidents[4]);
    expect(unknownPatient.status).toBe(404);
    expect(unknownPatient.body.code).toBe('HEALTH.PATIENT_NOT_FOUND');
  });

  it('publishes idempotently by request id and amends by version', async () => {
    const body = document(laixiResidents[3]);
    const first = await request(laixi.url).post('/records').set(as(laixi)).send(body);
    const again = await request(laixi.url).post('/records').set(as(laixi)).send(body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.documentId).toBe(first.body.documentId);
    expect(JSON.stringify(first.body)).not.toContain(laixiResidents[3]);
    const metrics = await request(laixi.url).get('/metrics');
    expect(metrics.text).toMatch(/health_documents_published_total\{action="publish",[^}]*\} 1\b/);

    const stale = await request(laixi.url)
      .put(`/records/${first.body.documentId}`)
      .set(as(laixi))
      .send({ ...document(laixiResidents[3]), residentId: undefined, kind: undefined, version: 3 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('HEALTH.VERSION_CONFLICT');

    const otherHospital = await request(laixi.url)
      .post(`/records/${first.body.documentId}/retract`)
      .set(as(laixi, 'his', 'hospital-2'))
      .send({ requestId: requestId(), version: 2 });
    expect(otherHospital.status).toBe(404);
  });

  it('replicates a record to Laiyang only after consent; reads are audited and reported to Laixi', async () => {
    const patient = laixiResidents[0];
    const published = await request(laixi.url).post('/records').set(as(laixi)).send(document(patient));
    expect(published.status).toBe(201);
    const documentId = published.body.documentId as string;

    // Without consent nothing crosses: Laiyang does not even learn that the record exists.
    await request(laixi.url).post('/records').set(as(laixi)).send(document(laixiResidents[1]));
    const consentId = await grant(laixiResidents[1]);
    await eventually(async () => ((await replicaCount(laixiResidents[1])) === 1 ? true : undefined));
    await expect(sharedQuery(patient).then((response) => response.status)).resolves.toBe(404);
    expect(consentId).toBeDefined();

    await grant(patient);
    await eventually(async () => ((await replicaCount(patient)) === 1 ? true : undefined));

    const amended = await request(laixi.url)
      .put(`/records/${documentId}`)
      .set(as(laixi))
      .send({ ...document(patient), residentId: undefined, kind: undefined, version: 2, body: { note: 'amended' } });
    expect(amended.status).toBe(200);
    const read = await eventually(async () => {
      const response = await request(laiyang.url)
        .get(`/shared-records/${documentId}`)
        .query({ purpose: 'continuity-of-care' })
        .set(as(laiyang, 'his', 'laiyang-central'));
      return response.body.version === 2 ? (response.body as SharedDocumentView) : undefined;
    });
    expect(read).toMatchObject({ home: regions.names.laixi, body: { note: 'amended' } });
    expect(JSON.stringify(read)).not.toContain(patient);

    const otherPurpose = await sharedQuery(patient, 'research');
    expect(otherPurpose.status).toBe(403);
    expect(otherPurpose.body.code).toBe('HEALTH.NO_CONSENT');

    // Laixi learns who in Laiyang read its patient's records: its HIS asks by resident ID.
    const reports = await eventually(async () => {
      const response = await request(laixi.url)
        .post('/audit/access-reports/query')
        .set(as(laixi))
        .send({ residentId: patient });
      return (response.body as unknown[]).length >= 2
        ? (response.body as { org: string; auditEntryId: string; resources: string[] }[])
        : undefined;
    });
    expect(reports[0]).toMatchObject({
      readerRegion: regions.names.laiyang,
      org: 'laiyang-central',
      role: 'his',
      actorRegion: regions.names.laiyang,
      action: 'health.record.read',
      purpose: 'continuity-of-care',
      resources: [documentId],
    });
    // The same report, from the entry sealed into Laiyang's chain, as the operators' form of the question shows it.
    await expectReportedHome(laiyang, laixi, laixi.app.get(Pseudonymizer).of(patient), {
      auditEntryId: reports[0].auditEntryId,
      resources: [documentId],
      purpose: 'continuity-of-care',
    });
    // A police unit does not answer for health records.
    const police = await request(laixi.url)
      .post('/audit/access-reports/query')
      .set(as(laixi, 'police-unit'))
      .send({ residentId: patient });
    expect(police.status).toBe(403);
  });

  it('copies the reports health kept in its own table into the shared audit_access_report when it drops the table', async () => {
    const runner = laixi.app.get(DataSource).createQueryRunner();
    await runner.startTransaction();
    try {
      const migration = new HealthAccessReportsShared1796100000000();
      await migration.down(runner);
      await runner.query('delete from health_access_report');
      const patient = laixi.app.get(Pseudonymizer).of(laixiResidents[2]);
      const documents = [randomUUID(), randomUUID()];
      await runner.query(
        `insert into health_access_report (patient, actor, org, actor_region, purpose, documents, audit_entry_id, at)
         values ($1, 'dr-liu', 'laiyang-central', $2, 'continuity-of-care', $3, '9000000042', '2026-11-20T01:00:00Z')`,
        [patient, regions.names.laiyang, JSON.stringify(documents)],
      );
      await migration.up(runner);
      await expect(runner.query(`select to_regclass('health_access_report') as t`)).resolves.toEqual([{ t: null }]);
      await expect(
        runner.query(
          `select reader_region, subjects, actor, role, org, actor_region, action, purpose, resources,
                  audit_entry_id::text as audit_entry_id, at
             from audit_access_report where actor = 'dr-liu'`,
        ),
      ).resolves.toEqual([
        {
          reader_region: regions.names.laiyang,
          subjects: [patient],
          actor: 'dr-liu',
          role: 'his',
          org: 'laiyang-central',
          actor_region: regions.names.laiyang,
          action: 'health.record.list',
          purpose: 'continuity-of-care',
          resources: documents,
          audit_entry_id: '9000000042',
          at: new Date('2026-11-20T01:00:00Z'),
        },
      ]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('delivers all 15 discharge summaries of 80 KB when the patient consents (relay batch over the broker message size)', async () => {
    const patient = `37028519850612731${residentIdCheckCharacter('37028519850612731')}`;
    // About 80 KB of JSON each, 1.2 MB together: one produce request of them all is over Kafka's default limit.
    const sections = Array.from({ length: 400 }, (_, i) => ({ title: `section ${i}`, text: 'x'.repeat(180) }));
    for (let i = 0; i < 15; i++) {
      const published = await request(laixi.url)
        .post('/records')
        .set(as(laixi))
        .send(document(patient, { body: { sections, part: i } }));
      expect(published.status).toBe(201);
    }

    await grant(patient);
    await eventually(async () => ((await replicaCount(patient)) === 15 ? true : undefined), 60_000);
    const outbox = await request(laixi.url).get('/bus/outbox').set(as(laixi, 'operator'));
    expect(outbox.body).toMatchObject({ pending: 0, lastError: null });
  });

  it('keeps a hash-chained access log that verifies, and fails to verify once a row is altered', async () => {
    const verify = async () =>
      (await request(laiyang.url).get('/audit/verify').set(as(laiyang, 'operator'))).body as {
        valid: boolean;
        entries: number;
        brokenAt?: string;
      };
    const before = await verify();
    expect(before.valid).toBe(true);
    expect(before.entries).toBeGreaterThanOrEqual(3);

    await laiyang.app
      .get(DataSource)
      .query(`update audit_log set org = 'someone-else' where id = (select min(id) from audit_log)`);
    const after = await verify();
    expect(after.valid).toBe(false);
    expect(after.brokenAt).toBeDefined();
  });

  it('purges in Laiyang on revocation, confirms the purge to Laixi, and a record racing the revocation does not stay', async () => {
    const patient = laixiResidents[2];
    await request(laixi.url).post('/records').set(as(laixi)).send(document(patient));
    const consentId = await grant(patient);
    await eventually(async () => ((await replicaCount(patient)) === 1 ? true : undefined));
    const heldBefore = await laiyang.app
      .get(DataSource)
      .query('select count(*)::int as n from replica_document where home = $1', [regions.names.laixi]);

    // A new record and the revocation at once: whichever order they commit in, nothing is left after the purge.
    const [racing, revoked] = await Promise.all([
      request(laixi.url).post('/records').set(as(laixi)).send(document(patient)),
      request(laixi.url).post(`/consents/${consentId}/revoke`).set(as(laixi)),
    ]);
    expect(racing.status).toBe(201);
    expect(revoked.status).toBe(200);
    expect(revoked.body.purges).toHaveLength(1);

    const confirmed = await eventually(async () => {
      const response = await request(laixi.url).get(`/consents/${consentId}`).set(as(laixi));
      return response.body.purges?.[0]?.purgedAt ? (response.body as ConsentView) : undefined;
    });
    expect(confirmed).toMatchObject({ revokedAt: expect.any(String), activeFor: [] });
    expect(confirmed.purges[0].region).toBe(regions.names.laiyang);
    expect(confirmed.purges[0].documents).toBeGreaterThanOrEqual(1);

    const rows = await laiyang.app
      .get(DataSource)
      .query('select count(*)::int as n from replica_document where home = $1', [regions.names.laixi]);
    const held = await sharedQuery(patient);
    expect(held.status).toBe(404);
    // Only the other patients' documents remain (whatever the tests before this one replicated).
    expect(rows[0].n).toBe(heldBefore[0].n - 1);
  });

  it('converges on the highest version of a document, whatever order its copies arrive in', async () => {
    const shared = laiyang.app.get(SharedRecordsProjectionService);
    const dataSource = laiyang.app.get(DataSource);
    const home = regions.names.laixi;
    const patient = laiyang.app.get(Pseudonymizer).of(laixiResidents[1]);
    const documentId = randomUUID();
    const version = (n: number) => ({
      documentId,
      patient,
      version: n,
      kind: 'outpatient-record' as const,
      typeCode: 'C0031',
      author: { name: 'Dr. Wang Li', role: 'attending physician' },
      hospital: 'Laixi People’s Hospital',
      encounterAt: '2026-11-21T10:00:00+08:00',
      body: { note: `version ${n}` },
      updatedAt: new Date(Date.UTC(2026, 10, 21, n)).toISOString(),
    });
    const apply = (run: (manager: EntityManager) => Promise<void>) => dataSource.transaction(run);
    const stored = async () =>
      (
        await dataSource.query<{ version: number; body: { note: string } | null }[]>(
          'select version, body from replica_document where home = $1 and document_id = $2',
          [home, documentId],
        )
      )[0];

    await apply((m) => shared.applyVersion(m, home, version(3)));
    await apply((m) => shared.applyVersion(m, home, version(2)));
    await apply((m) =>
      shared.applyRetraction(m, home, { documentId, patient, version: 1, retractedAt: '2026-11-21T00:00:00Z' }),
    );
    await expect(stored()).resolves.toEqual({ version: 3, body: { note: 'version 3' } });

    await apply((m) =>
      shared.applyRetraction(m, home, { documentId, patient, version: 4, retractedAt: '2026-11-22T00:00:00Z' }),
    );
    await apply((m) => shared.applyVersion(m, home, version(3)));
    await expect(stored()).resolves.toEqual({ version: 4, body: null });
  });

  it('sends the documents when a consent’s validity opens, and has them purged when it closes', async () => {
    const patient = laixiResidents[4];
    expect((await request(laixi.url).post('/records').set(as(laixi)).send(document(patient))).status).toBe(201);
    const hour = 3_600_000;
    const advance = (ms: number) => [laixi, laiyang].forEach((service) => service.app.get(Clock).advance(ms));
    const start = laixi.app.get(Clock).now().getTime();
    const granted = await request(laixi.url)
      .post('/consents')
      .set(as(laixi))
      .send({
        residentId: patient,
        grantees: [regions.names.laiyang],
        validFrom: new Date(start + hour).toISOString(),
        validUntil: new Date(start + 2 * hour).toISOString(),
      });
    expect(granted.status).toBe(201);
    expect(granted.body.activeFor).toEqual([]);

    advance(1.5 * hour);
    await eventually(async () => ((await replicaCount(patient)) === 1 ? true : undefined));

    advance(hour);
    const purged = await eventually(async () => {
      const response = await request(laixi.url).get(`/consents/${granted.body.consentId}`).set(as(laixi));
      return response.body.purges?.[0]?.purgedAt ? (response.body as ConsentView) : undefined;
    });
    expect(purged.purges[0]).toMatchObject({ region: regions.names.laiyang, documents: 1 });
    await expect(sharedQuery(patient).then((response) => response.status)).resolves.toBe(404);
  });

  it('confirms exactly one of two concurrent bookings of the last place, one from each city', async () => {
    const slot = await request(laiyang.url)
      .post('/slots')
      .set(as(laiyang, 'his', 'laiyang-central'))
      .send({
        hospital: 'Laiyang Central Hospital',
        department: 'cardiology',
        doctor: 'Dr. Zhang Wei',
        startsAt: '2030-01-01T09:00:00+08:00',
        capacity: 1,
      });
    expect(slot.status).toBe(201);
    const slotId = slot.body.slotId as string;
    await eventually(async () => {
      const response = await request(laixi.url).get('/slots').set(as(laixi));
      return (response.body as { slotId: string }[]).some((s) => s.slotId === slotId) ? true : undefined;
    });

    const booking = { region: regions.names.laiyang, slotId };
    const [fromLaixi, fromLaiyang] = await Promise.all([
      request(laixi.url)
        .post('/bookings')
        .set(as(laixi))
        .send({ ...booking, residentId: laixiResidents[0] }),
      request(laiyang.url)
        .post('/bookings')
        .set(as(laiyang))
        .send({ ...booking, residentId: fixtures.valid[4].id }),
    ]);
    expect(fromLaixi.status).toBe(201);
    expect(fromLaiyang.status).toBe(201);
    const remote = await eventually(async () => {
      const response = await request(laixi.url).get(`/bookings/${fromLaixi.body.bookingId}`).set(as(laixi));
      return response.body.status !== 'pending' ? (response.body as BookingView) : undefined;
    });
    const statuses = [remote.status, fromLaiyang.body.status].sort();
    expect(statuses).toEqual(['confirmed', 'rejected']);
    expect([remote.reason, fromLaiyang.body.reason]).toContain('slot-full');
  });

  it('expires a booking the owner city does not answer in time; its late answer does not resurrect it', async () => {
    const slot = await request(laiyang.url)
      .post('/slots')
      .set(as(laiyang, 'his', 'laiyang-central'))
      .send({
        hospital: 'Laiyang Central Hospital',
        department: 'orthopaedics',
        doctor: 'Dr. Li Na',
        startsAt: '2030-01-02T09:00:00+08:00',
        capacity: 2,
      });
    const slotId = slot.body.slotId as string;
    await eventually(async () => {
      const response = await request(laixi.url).get('/slots').set(as(laixi));
      return (response.body as { slotId: string }[]).some((s) => s.slotId === slotId) ? true : undefined;
    });

    await laiyangApp.close();
    const booked = await request(laixi.url)
      .post('/bookings')
      .set(as(laixi))
      .send({ region: regions.names.laiyang, slotId, residentId: laixiResidents[1] });
    expect(booked.status).toBe(201);
    expect(booked.body.status).toBe('pending');

    laixi.app.get(Clock).advance(11 * 60_000);
    const expired = await eventually(async () => {
      const response = await request(laixi.url).get(`/bookings/${booked.body.bookingId}`).set(as(laixi));
      return response.body.status === 'expired' ? (response.body as BookingView) : undefined;
    });
    expect(expired.answeredAt).not.toBeNull();

    // The owner comes back, confirms the request it finds waiting, then receives the expiry and frees the place.
    laiyangApp = await startServiceApp(laiyang.config, (config) => HealthRecordsAppModule.register(config));
    const ownerView = await eventually(async () => {
      const rows = await laiyangApp
        .get(DataSource)
        .query<{ status: string; reason: string }[]>('select status, reason from slot_booking where booking_id = $1', [
          booked.body.bookingId,
        ]);
      return rows[0]?.status === 'cancelled' ? rows[0] : undefined;
    });
    expect(ownerView.reason).toBe('expired');
    const slots = await request(laiyang.url).get('/slots').set(as(laiyang));
    expect((slots.body as { slotId: string; available: number }[]).find((s) => s.slotId === slotId)?.available).toBe(2);

    // The late confirmation reaches Laixi and is applied there, but changes nothing.
    await eventually(async () => {
      const rows = await laixi.app
        .get(DataSource)
        .query<{ n: number }[]>('select count(*)::int as n from bus_inbox where type = $1', [
          HEALTH_BOOKING_ANSWERED_V1,
        ]);
      return rows[0].n >= 2 ? true : undefined;
    });
    const after = await request(laixi.url).get(`/bookings/${booked.body.bookingId}`).set(as(laixi));
    expect(after.body.status).toBe('expired');
  });
});
