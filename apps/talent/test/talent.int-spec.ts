import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditService } from '@app/audit';
import { BusConsumer, BusPublisher, OutboxRelay, Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { TALENT_CLAIM_DECIDED_V1, TALENT_CLAIM_REQUESTED_V1 } from '@app/contracts';
import { dropDatabase } from '@app/database';
import { Role } from '@app/http';
import { Clock, startServiceApp } from '@app/platform';
import { TestService, eventually, expectReportedHome, startTestServices, testRegions, testToken } from '@app/testing';
import { TalentAppModule } from '../src/app.module';
import { BenefitRepository } from '../src/benefit/benefit.repository';
import { loadTalentConfig } from '../src/config/talent-config';
import { syntheticResidentIds, talentConfigFile } from './talent-fixtures';

interface Claim {
  claimId: string;
  status: 'pending' | 'granted' | 'denied' | 'timed-out';
  reason: string | null;
  certifier: string;
  grantedIn: string | null;
}

interface FullStatus {
  certifications: { status: string }[];
  hukou: unknown[];
}

const DAY_MS = 24 * 3600 * 1000;
const CLAIM_TIMEOUT_MS = 60_000;

describe('talent between Laixi and Laiyang', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  const programme = talentConfigFile(regions.names, CLAIM_TIMEOUT_MS);
  const appModule = (config: AppConfig) =>
    TalentAppModule.register(config, loadTalentConfig(config.region, { TALENT_CONFIG_FILE: programme }));
  let laiyang: TestService;
  /** Laixi certifies everyone here; it is restarted mid-test, so its app is swapped. */
  let laixi: { app: INestApplication; config: AppConfig; url: string };

  const as = (service: { config: AppConfig }, role: Role = 'hr-bureau') => ({
    Authorization: `Bearer ${testToken(service.config, role)}`,
  });

  beforeAll(async () => {
    const services = await startTestServices({ service: 'talent', regions, appModule });
    laiyang = services.laiyang;
    laixi = services.laixi;
  });

  afterAll(async () => {
    await Promise.all([laiyang?.close(), laixi?.app.close().then(() => dropDatabase(laixi.config.databaseUrl))]);
  });

  async function certify(residentId: string, overrides: Record<string, string> = {}) {
    const response = await request(laixi.url)
      .post('/talent/certifications')
      .set(as(laixi))
      .send({
        residentId,
        tier: 'A',
        field: 'integrated circuits',
        issuingBureau: 'Laixi HR and Social Security Bureau',
        validFrom: '2020-01-01',
        validUntil: '2099-12-31',
        ...overrides,
      });
    expect(response.status).toBe(201);
    return response.body as { certificationId: string; person: string };
  }

  async function projected(service: { app: INestApplication }, people: string[]): Promise<void> {
    await eventually(async () => {
      const [{ count }] = await service.app
        .get(DataSource)
        .query<{ count: number }[]>('select count(*)::int as count from talent_certification where person = any($1)', [
          people,
        ]);
      return count >= people.length ? true : undefined;
    });
  }

  function claim(service: { url: string; config: AppConfig }, residentId: string, extra: object = {}) {
    return request(service.url)
      .post('/talent/claims')
      .set(as(service))
      .send({ residentId, benefitCode: 'settling-in-allowance', ...extra });
  }

  async function claimIn(service: { url: string; config: AppConfig }, claimId: string): Promise<Claim> {
    const response = await request(service.url).get(`/talent/claims/${claimId}`).set(as(service));
    expect(response.status).toBe(200);
    return response.body as Claim;
  }

  async function decided(service: { url: string; config: AppConfig }, claimId: string): Promise<Claim> {
    return eventually(async () => {
      const found = await claimIn(service, claimId);
      return found.status === 'pending' ? undefined : found;
    });
  }

  /** The certifier's ledger: how many grants of the allowance each person has. */
  async function grantsAtCertifier(people: string[]): Promise<Map<string, number>> {
    const rows = await laixi.app.get(DataSource).query<{ person: string; grants: number }[]>(
      `select person, count(*) filter (where decision = 'granted')::int as grants
         from talent_claim_decision where person = any($1) and benefit_code = 'settling-in-allowance' group by person`,
      [people],
    );
    return new Map(rows.map((row) => [row.person, row.grants]));
  }

  const pseudonym = (residentId: string) => laiyang.app.get(Pseudonymizer).of(residentId);

  it('recognises in Laiyang a certification and a hukou registration issued in Laixi, and audits the query', async () => {
    const [residentId] = syntheticResidentIds(1, 1);
    const certified = await certify(residentId, { tier: 'B' });
    expect(certified.person).toBe(pseudonym(residentId));
    expect(JSON.stringify(certified)).not.toContain(residentId);
    const hukou = await request(laixi.url)
      .post('/talent/hukou')
      .set(as(laixi))
      .send({ residentId, change: 'registered', on: '2024-05-01' });
    expect(hukou.status).toBe(201);

    const status = await eventually(async () => {
      const response = await request(laiyang.url)
        .post('/talent/status')
        .set(as(laiyang))
        .send({ residentId, purpose: 'housing eligibility check' });
      expect(response.status).toBe(200);
      const body = response.body as FullStatus;
      return body.certifications.length === 1 && body.hukou.length === 1 ? body : undefined;
    });
    expect(status).toMatchObject({
      hit: true,
      person: certified.person,
      answeredBy: regions.names.laiyang,
      certifications: [
        {
          certificationId: certified.certificationId,
          tier: 'B',
          tierName: 'Leading talent',
          issuingRegion: regions.names.laixi,
          validFrom: '2020-01-01',
          validUntil: '2099-12-31',
          status: 'active',
          validToday: true,
        },
      ],
      hukou: [
        {
          region: regions.names.laixi,
          registered: true,
          since: '2024-05-01',
          recognisedFor: ['school-enrolment', 'housing-eligibility', 'social-insurance-transfer'],
        },
      ],
      benefits: [],
    });
    const [entry] = await laiyang.app.get(AuditService).list({ subject: certified.person, limit: 1 });
    expect(entry).toMatchObject({
      action: 'talent.status.read',
      purpose: 'housing eligibility check',
      role: 'hr-bureau',
      actorRegion: regions.names.laiyang,
      resources: [`certification/${certified.certificationId}`, `hukou/${(hukou.body as { factId: string }).factId}`],
    });
    // Laixi, whose person it is, learns who in Laiyang read what, when, for what purpose.
    await expectReportedHome(laiyang, laixi, certified.person, {
      auditEntryId: entry.id,
      action: 'talent.status.read',
      purpose: 'housing eligibility check',
      role: 'hr-bureau',
      actorRegion: regions.names.laiyang,
      resources: entry.resources,
    });
  });

  it('answers other roles with hit or no-hit and no personal data, each answer audited and reported home', async () => {
    const [certifiedId, strangerId] = syntheticResidentIds(2, 2);
    const { person, certificationId } = await certify(certifiedId);
    await projected(laiyang, [person]);
    for (const role of ['police-unit', 'his', 'operator'] as const) {
      const hit = await request(laiyang.url)
        .post('/talent/status')
        .set(as(laiyang, role))
        .send({ residentId: certifiedId });
      expect(hit.status).toBe(200);
      expect(hit.body).toStrictEqual({ hit: true });
      const miss = await request(laiyang.url)
        .post('/talent/status')
        .set(as(laiyang, role))
        .send({ residentId: strangerId });
      expect(miss.body).toStrictEqual({ hit: false });
    }
    // A hit/no-hit reveals whether someone is certified: each answer is in Laiyang's chain, and Laixi, whose
    // certification it read, learns of it.
    const entries = await laiyang.app.get(AuditService).list({ subject: person, limit: 10 });
    expect(entries.map((entry) => entry.role).sort()).toEqual(['his', 'operator', 'police-unit']);
    for (const entry of entries) {
      expect(entry).toMatchObject({ action: 'talent.status.checked', resources: [`certification/${certificationId}`] });
      await expectReportedHome(laiyang, laixi, person, {
        auditEntryId: entry.id,
        action: 'talent.status.checked',
        role: entry.role,
        actorRegion: regions.names.laiyang,
        resources: entry.resources,
      });
    }
    // A stranger's no-hit read nobody's data: audited, reported nowhere.
    const stranger = laiyang.app.get(Pseudonymizer).of(strangerId);
    expect(await laiyang.app.get(AuditService).list({ subject: stranger, limit: 10 })).toHaveLength(3);
    const reports = await request(laixi.url)
      .get('/audit/access-reports')
      .query({ subject: stranger })
      .set(as(laixi, 'operator'));
    expect(reports.body).toEqual([]);
    // Expiry needs no event: past its validity a certification no longer hits.
    const clock = laiyang.app.get(Clock);
    clock.set(new Date('2100-01-01T12:00:00+08:00'));
    const expired = await request(laiyang.url)
      .post('/talent/status')
      .set(as(laiyang, 'police-unit'))
      .send({ residentId: certifiedId });
    clock.set(new Date());
    expect(expired.body).toStrictEqual({ hit: false });
    const noPurpose = await request(laiyang.url)
      .post('/talent/status')
      .set(as(laiyang))
      .send({ residentId: certifiedId });
    expect(noPurpose.status).toBe(400);
    expect(noPurpose.body.code).toBe('TALENT.PURPOSE_REQUIRED');
  });

  it('answers bad input with problem details', async () => {
    const [residentId, neverCertified] = syntheticResidentIds(2, 3);
    const badCheck = residentId.slice(0, 17) + (residentId[17] === '1' ? '2' : '1');
    const invalidId = await request(laixi.url).post('/talent/certifications').set(as(laixi)).send({
      residentId: badCheck,
      tier: 'A',
      field: 'x',
      issuingBureau: 'y',
      validFrom: '2026-01-01',
      validUntil: '2027-01-01',
    });
    expect(invalidId.status).toBe(400);
    expect(invalidId.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(invalidId.body.errors).toEqual([expect.objectContaining({ field: 'residentId' })]);

    const problems = await Promise.all([
      request(laixi.url).post('/talent/certifications').set(as(laixi)).send({
        residentId,
        tier: 'Z',
        field: 'x',
        issuingBureau: 'y',
        validFrom: '2026-01-01',
        validUntil: '2027-01-01',
      }),
      request(laixi.url).post('/talent/certifications').set(as(laixi)).send({
        residentId,
        tier: 'A',
        field: 'x',
        issuingBureau: 'y',
        validFrom: '2027-01-01',
        validUntil: '2026-01-01',
      }),
      claim(laiyang, neverCertified),
      claim(laiyang, residentId, { benefitCode: 'golden-parachute' }),
      // Another city's bureau cannot certify here, and other roles cannot claim.
      request(laixi.url).post('/talent/certifications').set(as(laiyang)).send({
        residentId,
        tier: 'A',
        field: 'x',
        issuingBureau: 'y',
        validFrom: '2026-01-01',
        validUntil: '2027-01-01',
      }),
      request(laiyang.url)
        .post('/talent/claims')
        .set(as(laiyang, 'police-unit'))
        .send({ residentId, benefitCode: 'settling-in-allowance' }),
    ]);
    expect(problems.map((response) => [response.status, (response.body as { code?: string }).code])).toEqual([
      [400, 'TALENT.UNKNOWN_TIER'],
      [400, 'TALENT.VALIDITY_ENDS_BEFORE_START'],
      [404, 'TALENT.NOT_CERTIFIED'],
      [404, 'TALENT.UNKNOWN_BENEFIT'],
      [403, 'AUTH.OTHER_CITY'],
      [403, undefined],
    ]);
    // Laixi's catalogue does not offer Laiyang's apartment.
    const { person } = await certify(residentId);
    const notOffered = await claim(laixi, residentId, { benefitCode: 'laiyang-apartment' });
    expect([notOffered.status, notOffered.body.code]).toEqual([404, 'TALENT.UNKNOWN_BENEFIT']);
    // Once Laiyang knows Laixi certified the person, it does not certify them too: one city arbitrates.
    await projected(laiyang, [person]);
    const twice = await request(laiyang.url).post('/talent/certifications').set(as(laiyang)).send({
      residentId,
      tier: 'B',
      field: 'x',
      issuingBureau: 'y',
      validFrom: '2026-01-01',
      validUntil: '2027-01-01',
    });
    expect([twice.status, (twice.body as { code?: string }).code]).toEqual([409, 'TALENT.CERTIFIED_ELSEWHERE']);
  });

  it('grants exactly one of simultaneous exclusive claims from both cities, 50 rounds at once', async () => {
    const ids = syntheticResidentIds(50, 4);
    const people = (await Promise.all(ids.map((id) => certify(id)))).map((row) => row.person);
    await projected(laiyang, people);

    const rounds = await Promise.all(ids.map((id) => Promise.all([claim(laixi, id), claim(laiyang, id)])));
    const outcomes = await Promise.all(
      rounds.map(async ([here, there]) => {
        expect(here.status).toBe(201);
        expect(there.status).toBe(202);
        return [(here.body as Claim).status, (await decided(laiyang, (there.body as Claim).claimId)).status];
      }),
    );
    for (const pair of outcomes) expect(pair.filter((status) => status === 'granted')).toHaveLength(1);
    const grants = await grantsAtCertifier(people);
    expect(people.map((person) => grants.get(person))).toEqual(people.map(() => 1));
    const metrics = (await request(laixi.url).get('/metrics')).text;
    expect(metrics).toMatch(/talent_arbitrations_total\{[^}]*decision="granted"[^}]*\} \d+/);
    expect(metrics).toMatch(/talent_claims_total\{[^}]*kind="exclusive"[^}]*\} \d+/);
    const docs = await request(laixi.url).get('/docs-json');
    expect(Object.keys((docs.body as { paths: object }).paths)).toEqual(
      expect.arrayContaining(['/talent/status', '/talent/claims', '/talent/certifications', '/talent/hukou']),
    );
  });

  it('still grants exactly one per round when the certifier restarts mid-round, and under redelivery', async () => {
    const ids = syntheticResidentIds(51, 5);
    const late = ids.pop()!;
    const people = (await Promise.all([...ids, late].map((id) => certify(id)))).map((row) => row.person);
    await projected(laiyang, people);

    // Laiyang claims for everyone while Laixi claims for half of them, then Laixi restarts with Laiyang's claims
    // undecided (its consumer stopped first, so they wait in Kafka), and claims for the other half while it works
    // off that backlog.
    await laixi.app.get(BusConsumer).stop();
    const [fromLaiyang, before] = await Promise.all([
      Promise.all(ids.map((id) => claim(laiyang, id))),
      Promise.all(ids.slice(0, 25).map((id) => claim(laixi, id))),
    ]);
    await laixi.app.close();

    // While the certifier is down, a claim waits; past its deadline it reads as timed out, and a late answer counts.
    const waiting = (await claim(laiyang, late)).body as Claim;
    expect(waiting.status).toBe('pending');
    laiyang.app.get(Clock).advance(CLAIM_TIMEOUT_MS + 1000);
    expect((await claimIn(laiyang, waiting.claimId)).status).toBe('timed-out');
    laiyang.app.get(Clock).advance(-(CLAIM_TIMEOUT_MS + 1000));

    laixi = { ...laixi, app: await startServiceApp(laixi.config, appModule) };
    const after = await Promise.all(ids.slice(25).map((id) => claim(laixi, id)));
    const here = [...before, ...after].map((response) => response.body as Claim);
    const there = await Promise.all(fromLaiyang.map((response) => decided(laiyang, (response.body as Claim).claimId)));
    ids.forEach((_, i) => {
      expect([here[i].status, there[i].status].filter((status) => status === 'granted')).toHaveLength(1);
    });
    expect(await decided(laiyang, waiting.claimId)).toMatchObject({ status: 'granted' });

    // Both relays send everything again, as after crashes between sending and marking sent; a claimant that lost
    // its answer asks again under the same claim id (a new event).
    for (const [service, type] of [
      [laiyang, TALENT_CLAIM_REQUESTED_V1],
      [laixi, TALENT_CLAIM_DECIDED_V1],
    ] as const) {
      await service.app.get(DataSource).query('update bus_outbox set sent_at = null where type = $1', [type]);
      await service.app.get(OutboxRelay).drain();
    }
    await eventually(async () => {
      const metrics = await request(laixi.url).get('/metrics');
      const duplicates = /bus_events_consumed_total\{[^}]*outcome="duplicate"[^}]*\} (\d+)/.exec(metrics.text);
      return duplicates && Number(duplicates[1]) >= 50 ? true : undefined;
    });
    const grants = await grantsAtCertifier(people);
    expect(people.map((person) => grants.get(person))).toEqual(people.map(() => 1));
    const again = await Promise.all(there.map((row) => claimIn(laiyang, row.claimId)));
    expect(again.map((row) => row.status)).toEqual(there.map((row) => row.status));
  });

  it('denies claims in both cities once a revocation is applied, even before Laiyang has heard of it', async () => {
    const [residentId] = syntheticResidentIds(1, 6);
    const { certificationId, person } = await certify(residentId);
    await projected(laiyang, [person]);

    const suspended = await request(laixi.url)
      .post(`/talent/certifications/${certificationId}/suspend`)
      .set(as(laixi))
      .send({ reason: 'under review' });
    expect(suspended.body).toMatchObject({ status: 'suspended', version: 2 });
    expect((await claim(laixi, residentId)).body).toMatchObject({
      status: 'denied',
      reason: 'certification-not-valid',
    });
    const renewed = await request(laixi.url)
      .post(`/talent/certifications/${certificationId}/renew`)
      .set(as(laixi))
      .send({ validUntil: '2100-12-31' });
    expect(renewed.body).toMatchObject({ status: 'active', version: 3, validUntil: '2100-12-31' });

    const revoked = await request(laixi.url)
      .post(`/talent/certifications/${certificationId}/revoke`)
      .set(as(laixi))
      .send({ reason: 'fraudulent application' });
    expect(revoked.status).toBe(200);
    const early = await claim(laiyang, residentId);
    expect(early.status).toBe(202);
    const here = await claim(laixi, residentId);
    expect(here.body).toMatchObject({ status: 'denied', reason: 'certification-not-valid' });
    expect(await decided(laiyang, (early.body as Claim).claimId)).toMatchObject({
      status: 'denied',
      reason: 'certification-not-valid',
    });

    const status = await eventually(async () => {
      const response = await request(laiyang.url)
        .post('/talent/status')
        .set(as(laiyang))
        .send({ residentId, purpose: 'allowance review' });
      const body = response.body as FullStatus;
      return body.certifications[0].status === 'revoked' ? body : undefined;
    });
    expect(status).toMatchObject({
      hit: false,
      certifications: [{ status: 'revoked', validToday: false, version: 4 }],
    });
    const issued = await request(laixi.url).get(`/talent/certifications/${certificationId}`).set(as(laixi));
    expect(issued.body).toMatchObject({ status: 'revoked', reason: 'fraudulent application' });
    // Laiyang shows another city's certification only through the audited status query.
    const elsewhere = await request(laiyang.url).get(`/talent/certifications/${certificationId}`).set(as(laiyang));
    expect([elsewhere.status, (elsewhere.body as { code?: string }).code]).toEqual([
      404,
      'TALENT.CERTIFICATION_NOT_FOUND',
    ]);
    const late = await claim(laiyang, residentId);
    expect(await decided(laiyang, (late.body as Claim).claimId)).toMatchObject({ status: 'denied' });
    expect((await grantsAtCertifier([person])).get(person)).toBe(0);
  });

  it('passes a claim addressed to a city that did not certify on to the certifier, and grants nothing there', async () => {
    const [residentId] = syntheticResidentIds(1, 7);
    const { person } = await certify(residentId, { tier: 'D' });
    await projected(laiyang, [person]);
    const response = await claim(laiyang, residentId, { certifier: regions.names.laiyang });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ status: 'pending', certifier: regions.names.laixi });
    expect(await decided(laiyang, (response.body as Claim).claimId)).toMatchObject({
      status: 'granted',
      grantedIn: regions.names.laiyang,
    });
    const [{ count }] = await laiyang.app
      .get(DataSource)
      .query<{ count: number }[]>('select count(*)::int as count from talent_claim_decision where person = $1', [
        person,
      ]);
    expect(count).toBe(0);
    // Tier D is not eligible for the housing subsidy; the certifier says so.
    const subsidy = await claim(laiyang, residentId, { benefitCode: 'housing-subsidy' });
    expect(await decided(laiyang, (subsidy.body as Claim).claimId)).toMatchObject({
      status: 'denied',
      reason: 'tier-not-eligible',
    });
    // Laixi's own claim addressed to Laiyang is passed back to Laixi, which decides it as its own.
    const [other] = syntheticResidentIds(1, 9);
    await certify(other);
    await projected(laiyang, [pseudonym(other)]);
    const bounced = await claim(laixi, other, { certifier: regions.names.laiyang });
    expect(bounced.status).toBe(202);
    expect(await decided(laixi, (bounced.body as Claim).claimId)).toMatchObject({
      status: 'granted',
      grantedIn: regions.names.laixi,
    });
    // A city cannot claim in another's name: Laixi dead-letters such a claim and decides nothing.
    const forged = randomUUID();
    await laiyang.app.get(DataSource).transaction((manager) =>
      laiyang.app.get(BusPublisher).publish(
        manager,
        TALENT_CLAIM_REQUESTED_V1,
        person,
        {
          claimId: forged,
          person,
          benefitCode: 'housing-subsidy',
          claimant: regions.names.laixi,
          claimedOn: '2026-06-01',
        },
        { target: regions.names.laixi },
      ),
    );
    const letter = await eventually(async () => {
      const letters = await request(laixi.url).get('/bus/dead-letters').set(as(laixi, 'operator'));
      return (letters.body as { type: string; reason: string }[]).find(
        (row) => row.type === TALENT_CLAIM_REQUESTED_V1 && row.reason.includes(regions.names.laiyang),
      );
    });
    expect(letter.reason).toContain('in the name of');
    expect(
      await laixi.app.get(BenefitRepository).findDecision(laixi.app.get(DataSource).manager, forged),
    ).toBeUndefined();
    // A shared benefit of Laiyang's own catalogue is decided in Laiyang.
    const shared = await claim(laiyang, residentId, { benefitCode: 'fast-track-services' });
    expect([shared.status, shared.body.status]).toEqual([201, 'granted']);
  });

  it('counts certifications by month, city and tier with year-on-year growth, and grants by city', async () => {
    const ids = syntheticResidentIds(5, 8);
    const clock = laixi.app.get(Clock);
    clock.advance(-365 * DAY_MS);
    const yearAgo = (await Promise.all(ids.slice(0, 2).map((id) => certify(id, { tier: 'C' })))).map((r) => r.person);
    clock.advance(365 * DAY_MS);
    const thisYear = (await Promise.all(ids.slice(2).map((id) => certify(id, { tier: 'C' })))).map((r) => r.person);
    await projected(laiyang, [...yearAgo, ...thisYear]);

    const month = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 7);
    const response = await request(laiyang.url)
      .get('/talent/statistics/certifications')
      .query({ from: month, to: month })
      .set(as(laiyang));
    expect(response.status).toBe(200);
    expect(response.body.byMonth).toContainEqual({
      month,
      region: regions.names.laixi,
      tier: 'C',
      count: 3,
      previousYear: 2,
      growthPercent: 50,
    });
    const benefits = await eventually(async () => {
      const found = await request(laiyang.url).get('/talent/statistics/benefits').set(as(laiyang, 'operator'));
      const rows = found.body.grantedByCity as { grantedIn: string; benefitCode: string; count: number }[];
      const allowance = (city: string) =>
        rows.find((row) => row.grantedIn === city && row.benefitCode === 'settling-in-allowance')?.count ?? 0;
      return allowance(regions.names.laixi) + allowance(regions.names.laiyang) >= 101 ? rows : undefined;
    });
    expect(benefits).toContainEqual({ grantedIn: regions.names.laiyang, benefitCode: 'fast-track-services', count: 1 });
    const invalid = await request(laiyang.url)
      .get('/talent/statistics/certifications')
      .query({ from: '2026-13' })
      .set(as(laiyang));
    expect(invalid.status).toBe(400);
  });

  it('rebuilds the same projection when the talent topics are replayed into emptied tables', async () => {
    const snapshot = () =>
      laiyang.app.get(DataSource).query(
        `select json_build_object(
           'certifications', (select json_agg(c order by certification_id) from talent_certification c where origin <> $1),
           'hukou', (select json_agg(h order by fact_id) from talent_hukou_fact h where origin <> $1),
           'grants', (select json_agg(g order by grant_id) from talent_benefit_grant g where origin <> $1)) as s`,
        [regions.names.laiyang],
      );
    const before = JSON.stringify(await snapshot());
    expect(before).toContain('certification_id');
    const replay = await request(laiyang.url).post('/bus/replay').set(as(laiyang, 'operator'));
    expect(replay.status).toBe(202);
    const [{ count }] = await laiyang.app
      .get(DataSource)
      .query<{ count: number }[]>('select count(*)::int as count from talent_certification where origin <> $1', [
        regions.names.laiyang,
      ]);
    expect(count).toBeLessThan(JSON.parse(before)[0].s.certifications.length);
    await eventually(async () => (JSON.stringify(await snapshot()) === before ? true : undefined), 60_000);
  });
});
