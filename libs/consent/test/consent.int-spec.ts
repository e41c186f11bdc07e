import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CONTINUITY_OF_CARE, HEALTH_CONSENT_GRANTED_V1, HEALTH_CONSENT_REVOKED_V1 } from '@app/contracts';
import { CONSENT_MIGRATIONS, ConsentEvent, ConsentService } from '@app/consent';
import { dropDatabase, ensureDatabase, withDatabase } from '@app/database';
import { testInfra } from '@app/testing';

describe(ConsentService.name, () => {
  const url = withDatabase(testInfra().postgresUrl, `shuanglai_consent_${randomBytes(4).toString('hex')}`);
  const consents = new ConsentService();
  let dataSource: DataSource;
  const at = new Date('2026-11-24T08:00:00Z');
  const patient = () => `p1.${randomBytes(32).toString('base64url').slice(0, 43)}`;
  const grant = (consentId: string, subject: string, grantees: string[] = ['laiyang']): ConsentEvent => ({
    type: HEALTH_CONSENT_GRANTED_V1,
    data: {
      consentId,
      patient: subject,
      purpose: CONTINUITY_OF_CARE,
      grantees,
      validFrom: '2026-11-01T00:00:00Z',
      grantedAt: '2026-11-01T00:00:00Z',
    },
  });
  const revoke = (consentId: string, subject: string): ConsentEvent => ({
    type: HEALTH_CONSENT_REVOKED_V1,
    data: { consentId, patient: subject, revokedAt: '2026-11-20T00:00:00Z' },
  });
  const active = (subject: string, region = 'laiyang') =>
    consents.isActive(dataSource, { patient: subject, home: 'laixi', region, purpose: CONTINUITY_OF_CARE, at });

  beforeAll(async () => {
    await ensureDatabase(url);
    dataSource = await new DataSource({
      type: 'postgres',
      url,
      migrations: CONSENT_MIGRATIONS,
      migrationsRun: true,
    }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(url);
  });

  it('applies a grant once: a duplicate changes nothing', async () => {
    const subject = patient();
    const id = randomUUID();
    await expect(dataSource.transaction((m) => consents.apply(m, 'laixi', grant(id, subject)))).resolves.toMatchObject({
      kind: 'granted',
      changed: true,
    });
    await expect(dataSource.transaction((m) => consents.apply(m, 'laixi', grant(id, subject)))).resolves.toMatchObject({
      changed: false,
    });
    await expect(active(subject)).resolves.toBe(true);
    await expect(active(subject, 'jimo')).resolves.toBe(false);
  });

  it('ends up revoked whether the revocation arrives after or before its grant', async () => {
    const [early, late] = [patient(), patient()];
    const [earlyId, lateId] = [randomUUID(), randomUUID()];
    await dataSource.transaction(async (m) => {
      await consents.apply(m, 'laixi', grant(lateId, late));
      await consents.apply(m, 'laixi', revoke(lateId, late));
      await consents.apply(m, 'laixi', revoke(earlyId, early));
    });
    await expect(
      dataSource.transaction((m) => consents.apply(m, 'laixi', grant(earlyId, early))),
    ).resolves.toMatchObject({ changed: false });
    await expect(active(late)).resolves.toBe(false);
    await expect(active(early)).resolves.toBe(false);
    await expect(consents.find(dataSource, 'laixi', earlyId)).resolves.toMatchObject({
      purpose: CONTINUITY_OF_CARE,
      grantees: ['laiyang'],
      revokedAt: new Date('2026-11-20T00:00:00Z'),
    });
  });

  it('keeps consents of different home cities apart', async () => {
    const subject = patient();
    await dataSource.transaction((m) => consents.apply(m, 'laiyang', grant(randomUUID(), subject, ['laixi'])));
    await expect(active(subject, 'laixi')).resolves.toBe(false);
    await expect(
      consents.isActive(dataSource, {
        patient: subject,
        home: 'laiyang',
        region: 'laixi',
        purpose: CONTINUITY_OF_CARE,
        at,
      }),
    ).resolves.toBe(true);
  });

  it('lists the regions a patient consented to and the patients a region must purge', async () => {
    const [kept, revoked] = [patient(), patient()];
    const revokedId = randomUUID();
    await dataSource.transaction(async (m) => {
      await consents.apply(m, 'laixi', grant(randomUUID(), kept, ['laiyang', 'jimo']));
      await consents.apply(m, 'laixi', grant(revokedId, revoked));
      await consents.apply(m, 'laixi', revoke(revokedId, revoked));
    });
    await expect(
      consents.activeRegions(dataSource, {
        patient: kept,
        home: 'laixi',
        peers: ['laiyang', 'jimo', 'qingdao'],
        purpose: CONTINUITY_OF_CARE,
        at,
      }),
    ).resolves.toEqual(['laiyang', 'jimo']);
    await expect(
      consents.patientsPurgeable(dataSource, {
        patients: [kept, revoked],
        home: 'laixi',
        region: 'laiyang',
        purpose: CONTINUITY_OF_CARE,
        at,
      }),
    ).resolves.toEqual([revoked]);
  });
});
