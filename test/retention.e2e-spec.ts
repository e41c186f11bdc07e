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
        return ['lab_report'];
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
        return ['police_receipt', 'police_feed'];
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
        return ['talent_certification', 'talent_claim'];
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
      for (const table of tables) {
        const [{ n }] = await db.query<{ n: string }[]>(`select count(*) as n from ${table}`);
        expect([table, Number(n)]).toEqual([table, 1]);
        expect(runs.find((run) => run.table === table)).toMatchObject({ deleted: 1 });
      }
      const [{ n }] = await db.query<{ n: string }[]>(
        `select count(*) as n from audit_log where action = 'retention.rows.deleted'`,
      );
      expect(Number(n)).toBe(runs.length);
    } finally {
      await instance?.close();
    }
  });
});
