import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { dropDatabase } from '@app/database';
import { startServiceApp } from '@app/platform';
import { eventually, startTestServices, testRegions, testToken } from '@app/testing';
import { TalentAppModule } from '../apps/talent/src/app.module';
import { loadTalentConfig } from '../apps/talent/src/config/talent-config';
import { syntheticResidentIds, talentConfigFile } from '../apps/talent/test/talent-fixtures';

interface City {
  base: 'laixi' | 'laiyang';
  app: INestApplication;
  config: AppConfig;
  url: string;
}

const ROUNDS = 50;
const BENEFIT = 'settling-in-allowance';

/**
 * Issue 15: an exclusive benefit is granted exactly once per person, whatever happens to certifications:
 * (a) granted in Laixi, the certification revoked, the person certified again in Laiyang;
 * (b) both cities certifying the person at once, inside the replication lag.
 * Each scenario runs 50 rounds with a fresh person, each city's service restarted at random points.
 */
describe('exactly one grant of an exclusive benefit per person', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  const programme = talentConfigFile(regions.names, 120_000);
  const appModule = (config: AppConfig) =>
    TalentAppModule.register(config, loadTalentConfig(config.region, { TALENT_CONFIG_FILE: programme }));
  const cities = {} as Record<'laixi' | 'laiyang', City>;
  let restarts = 0;

  beforeAll(async () => {
    const started = await startTestServices({ service: 'talent', regions, appModule });
    for (const base of ['laixi', 'laiyang'] as const) cities[base] = { base, ...started[base] };
  });

  afterAll(async () => {
    await Promise.all(
      Object.values(cities).map((city) => city.app?.close().then(() => dropDatabase(city.config.databaseUrl))),
    );
  });

  const as = (city: City) => ({ Authorization: `Bearer ${testToken(city.config, 'hr-bureau')}` });

  /** Closes the service (its consumer, relay and HTTP server) and starts it again on the same database. */
  async function restart(city: City): Promise<void> {
    await city.app.close();
    city.app = await startServiceApp(city.config, appModule);
    restarts++;
  }

  /** With probability 1/3, restarts a random city here. */
  async function maybeRestart(): Promise<void> {
    if (Math.random() < 1 / 3) await restart(Math.random() < 0.5 ? cities.laixi : cities.laiyang);
  }

  /** Certifies in `city`: 'certified' or 'refused' (409), following a pending request (202) to its answer. */
  async function certify(city: City, residentId: string): Promise<{ outcome: 'certified' | 'refused'; id?: string }> {
    const response = await request(city.url)
      .post('/talent/certifications')
      .set(as(city))
      .send({
        residentId,
        tier: 'A',
        field: 'integrated circuits',
        issuingBureau: `${city.base} HR bureau`,
        validFrom: '2020-01-01',
        validUntil: '2099-12-31',
      });
    if (response.status === 201)
      return { outcome: 'certified', id: (response.body as { certificationId: string }).certificationId };
    if (response.status === 409) return { outcome: 'refused' };
    expect(response.status).toBe(202);
    const { requestId } = response.body as { requestId: string };
    const answer = await eventually(async () => {
      const found = await request(city.url).get(`/talent/certifications/requests/${requestId}`).set(as(city));
      const body = found.body as { status: string; certificationId: string | null };
      return body.status === 'pending' ? undefined : body;
    }, 60_000);
    return answer.status === 'certified'
      ? { outcome: 'certified', id: answer.certificationId! }
      : { outcome: 'refused' };
  }

  /** Claims the allowance in `city` and waits for the decision: granted or denied. */
  async function claim(city: City, residentId: string): Promise<string> {
    const response = await request(city.url)
      .post('/talent/claims')
      .set(as(city))
      .send({ residentId, benefitCode: BENEFIT });
    expect([201, 202]).toContain(response.status);
    const { claimId } = response.body as { claimId: string };
    const decided = await eventually(async () => {
      const found = await request(city.url).get(`/talent/claims/${claimId}`).set(as(city));
      const body = found.body as { status: string };
      return body.status === 'pending' || body.status === 'timed-out' ? undefined : body;
    }, 60_000);
    return decided.status;
  }

  /** The grants each city recorded as its own (what it pays), summed over both cities. */
  async function grantsPaid(person: string): Promise<number> {
    let total = 0;
    for (const city of Object.values(cities)) {
      const [{ count }] = await city.app.get(DataSource).query<{ count: number }[]>(
        `select count(*)::int as count from talent_benefit_grant
            where person = $1 and benefit_code = $2 and exclusive and origin = $3`,
        [person, BENEFIT, city.config.region],
      );
      total += count;
    }
    return total;
  }

  /** Both cities know of the person's certification (so that each can file a claim). */
  async function known(person: string, status: string): Promise<void> {
    for (const city of Object.values(cities)) {
      await eventually(async () => {
        const rows = await city.app
          .get(DataSource)
          .query<{ status: string }[]>('select status from talent_certification where person = $1', [person]);
        return rows.some((row) => row.status === status) ? true : undefined;
      }, 60_000);
    }
  }

  const pseudonym = (residentId: string) => cities.laixi.app.get(Pseudonymizer).of(residentId);

  it('grants once after Laixi granted, revoked and Laiyang certified again, 50 rounds with restarts', async () => {
    const ids = syntheticResidentIds(ROUNDS, 31);
    const outcomes: number[] = [];
    for (const residentId of ids) {
      const person = pseudonym(residentId);
      await maybeRestart();
      const first = await certify(cities.laixi, residentId);
      expect(first.outcome).toBe('certified');
      await known(person, 'active');
      const statuses = [await claim(cities.laixi, residentId)];
      await maybeRestart();
      const revoked = await request(cities.laixi.url)
        .post(`/talent/certifications/${first.id}/revoke`)
        .set(as(cities.laixi))
        .send({ reason: 'moved to Laiyang' });
      expect(revoked.status).toBe(200);
      await maybeRestart();
      // Laiyang certifies as soon as Laixi (the authority) hands over; until it knows of the revocation it refuses.
      await eventually(
        async () => ((await certify(cities.laiyang, residentId)).outcome === 'certified' ? true : undefined),
        60_000,
      );
      await maybeRestart();
      await known(person, 'active');
      statuses.push(...(await Promise.all([claim(cities.laiyang, residentId), claim(cities.laixi, residentId)])));
      await maybeRestart();
      statuses.push(await claim(cities.laiyang, residentId));
      expect(statuses.filter((status) => status === 'granted')).toHaveLength(1);
      outcomes.push(await eventually(async () => ((await grantsPaid(person)) >= 1 ? grantsPaid(person) : undefined)));
    }
    expect(outcomes).toEqual(ids.map(() => 1));
    expect(restarts).toBeGreaterThan(0);
  }, 1_200_000);

  it('certifies in one city only and grants once when both certify at once, 50 rounds with restarts', async () => {
    const ids = syntheticResidentIds(ROUNDS, 32);
    const outcomes: number[] = [];
    const before = restarts;
    for (const residentId of ids) {
      const person = pseudonym(residentId);
      await maybeRestart();
      const both = await Promise.all([certify(cities.laixi, residentId), certify(cities.laiyang, residentId)]);
      expect(both.map((answer) => answer.outcome).sort()).toEqual(['certified', 'refused']);
      await known(person, 'active');
      await maybeRestart();
      const statuses = await Promise.all([claim(cities.laixi, residentId), claim(cities.laiyang, residentId)]);
      await maybeRestart();
      statuses.push(await claim(cities.laixi, residentId), await claim(cities.laiyang, residentId));
      expect(statuses.filter((status) => status === 'granted')).toHaveLength(1);
      // Exactly one certification exists, in both cities' tables.
      for (const city of Object.values(cities)) {
        await eventually(async () => {
          const [{ count }] = await city.app
            .get(DataSource)
            .query<{ count: number }[]>('select count(*)::int as count from talent_certification where person = $1', [
              person,
            ]);
          return count === 1 ? true : undefined;
        });
      }
      outcomes.push(await eventually(async () => ((await grantsPaid(person)) >= 1 ? grantsPaid(person) : undefined)));
    }
    expect(outcomes).toEqual(ids.map(() => 1));
    expect(restarts).toBeGreaterThan(before);
  }, 1_200_000);
});
