import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LabResultsAppModule } from '../apps/lab-results/src/app.module';
import { PoliceAppModule } from '../apps/police/src/app.module';
import { TalentAppModule } from '../apps/talent/src/app.module';
import { loadTalentConfig } from '../apps/talent/src/config/talent-config';
import { talentConfigFile } from '../apps/talent/test/talent-fixtures';
import { RetentionService } from '@app/audit';
import { AppModuleFactory } from '@app/platform';
import { TestService, startTestService, testRegions } from '@app/testing';

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

/** Each service's rules run against its real schema: expired rows go, fresh ones stay, every run is audited. */
describe('retention in lab-results, police and talent', () => {
  // Both cities in the registry (the talent programme names both); only Laixi is started.
  const regions = testRegions(['laixi', 'laiyang']);
  const programme = talentConfigFile(regions.names, 60_000);
  const cases: [string, AppModuleFactory, (db: DataSource, region: string) => Promise<string[]>][] = [
    [
      'lab-results',
      (config) => LabResultsAppModule.register(config),
      async (db) => {
        for (const [id, reportedAt] of [
          ['old', daysAgo(400)],
          ['new', daysAgo(10)],
        ] as const) {
          await db.query(
            `insert into lab_report (region, report_id, version, patient, lab_id, lab_name, hospital, specimen,
               collected_at, reported_at, status) values ('peer', $1, 1, 'p1.x', 'lab', 'Lab', 'H', 'blood', $2, $2, 'final')`,
            [id, reportedAt],
          );
        }
        for (const revokedAt of [daysAgo(1200), daysAgo(10)]) {
          await db.query(
            `insert into consent (home, consent_id, patient, purpose, grantees, granted_at, revoked_at)
             values ('peer', $1, 'p1.x', 'continuity-of-care', '{laixi}', $2, $2)`,
            [randomUUID(), revokedAt],
          );
        }
        return ['lab_report', 'consent'];
      },
    ],
    [
      'police',
      (config) => PoliceAppModule.register(config),
      async (db) => {
        for (const receivedAt of [daysAgo(200), daysAgo(10)]) {
          await db.query(
            `insert into police_receipt (alert_id, region, unit, received_at) values ($1, 'peer', 'u1', $2)`,
            [randomUUID(), receivedAt],
          );
        }
        for (const [seq, at] of [
          [1, daysAgo(40)],
          [2, daysAgo(1)],
        ] as const) {
          await db.query(
            `insert into police_feed (seq, alert_id, origin, kind, area, severity, zone, widened, state, at)
             values ($1, $2, 'peer', 'raised', 'a', 's', 'z', false, '{}', $3)`,
            [seq, randomUUID(), at],
          );
        }
        // Ended long ago, ended lately; an alert ended long ago but still waiting to escalate is live.
        const waiting = randomUUID();
        for (const [alertId, endsAt] of [
          [randomUUID(), daysAgo(200)],
          [randomUUID(), daysAgo(10)],
          [waiting, daysAgo(200)],
        ] as const) {
          await db.query(
            `insert into police_alert (alert_id, origin, version, state, ends_at) values ($1, 'peer', 1, '{}', $2)`,
            [alertId, endsAt],
          );
        }
        await db.query('insert into police_escalation_deadline (alert_id, due_at) values ($1, now())', [waiting]);
        return ['police_receipt', 'police_feed', 'police_alert'];
      },
    ],
    [
      'talent',
      (config) => TalentAppModule.register(config, loadTalentConfig(config.region, { TALENT_CONFIG_FILE: programme })),
      async (db) => {
        for (const [origin, validUntil] of [
          ['peer', daysAgo(1200)],
          ['peer', daysAgo(10)],
        ] as const) {
          await db.query(
            `insert into talent_certification (certification_id, person, origin, tier, field, issuing_bureau, valid_from,
               valid_until, status, certified_at, version) values ($1, 'p1.x', $2, 't', 'f', 'b', $3::date, $3::date, 'active', $3::timestamptz, 1)`,
            [randomUUID(), origin, validUntil],
          );
        }
        for (const decidedAt of [daysAgo(1200), daysAgo(10)]) {
          await db.query(
            `insert into talent_claim (claim_id, person, benefit_code, certifier, status, requested_by, requested_at,
               deadline, decided_at) values ($1, 'p1.x', 'b', 'peer', 'denied', 'r', $2, $2, $2)`,
            [randomUUID(), decidedAt],
          );
        }
        for (const answeredAt of [daysAgo(1200), daysAgo(10)]) {
          await db.query(
            `insert into talent_certification_request (request_id, person, tier, field, issuing_bureau, valid_from,
               valid_until, authority, status, requested_at, answered_at)
             values ($1, 'p1.x', 't', 'f', 'b', '2020-01-01', '2030-01-01', 'peer', 'refused', $2, $2)`,
            [randomUUID(), answeredAt],
          );
        }
        return ['talent_certification', 'talent_claim', 'talent_certification_request'];
      },
    ],
  ];

  it.each(cases)('%s deletes only its expired rows and audits each rule', async (service, appModule, seed) => {
    let instance: TestService | undefined;
    try {
      instance = await startTestService({
        service: service as 'police',
        regions,
        region: 'laixi',
        appModule,
        env: { HEARTBEAT_INTERVAL_MS: '60000' },
      });
      const db = instance.app.get(DataSource);
      const tables = await seed(db, instance.config.region);
      const runs = await instance.app.get(RetentionService).runOnce();
      expect(runs.filter((run) => run.error)).toEqual([]);
      // One expired row of each table goes; the rest (fresh, or still live) stays.
      for (const table of tables) {
        const [{ n }] = await db.query<{ n: string }[]>(`select count(*) as n from ${table}`);
        expect([table, Number(n)]).toEqual([table, table === 'police_alert' ? 2 : 1]);
        expect(runs.find((run) => run.table === table)).toMatchObject({ deleted: 1 });
      }
      const [{ n }] = await db.query<{ n: string }[]>(
        `select count(*) as n from audit_log where action = 'retention.rows.deleted'`,
      );
      expect(Number(n)).toBe(runs.reduce((sum, run) => sum + run.batches, 0));
    } finally {
      await instance?.close();
    }
  });
});
