import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { HealthRecordsAppModule } from '../src/app.module';
import { HealthConfig } from '../src/health-records.config';
import { RetentionService } from '@app/audit';
import { loadServiceConfig } from '@app/config';
import { TestService, startTestServices, testRegions, testToken } from '@app/testing';

const DAY_MS = 86_400_000;
const PATIENT = 'p1.retention-test';

describe(RetentionService.name, () => {
  const regions = testRegions(['laixi']);
  let laixi: TestService;
  let db: DataSource;
  const previousBatch = process.env.RETENTION_BATCH_SIZE;

  beforeAll(async () => {
    // Small batches, so that one run takes several; the periodic job itself stays out of the way (1 h).
    process.env.RETENTION_BATCH_SIZE = '2';
    const health = loadServiceConfig(HealthConfig, { HEALTH_REPLICA_RETENTION_DAYS: '30' });
    ({ laixi } = await startTestServices({
      service: 'health-records',
      regions,
      appModule: (config) => HealthRecordsAppModule.register(config, health),
      env: { HEARTBEAT_INTERVAL_MS: '60000' },
    }));
    db = laixi.app.get(DataSource);
  });

  afterAll(async () => {
    if (previousBatch === undefined) delete process.env.RETENTION_BATCH_SIZE;
    else process.env.RETENTION_BATCH_SIZE = previousBatch;
    await laixi?.close();
  });

  const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);
  const replica = (updatedAt: Date) =>
    db.query(
      `insert into replica_document (home, document_id, patient, version, updated_at) values ($1, $2, $3, 1, $4)`,
      ['peer', randomUUID(), PATIENT, updatedAt],
    );
  const purge = (purgedAt: Date | null, requestedAt: Date) =>
    db.query(
      `insert into health_purge (purge_id, consent_id, patient, region, requested_at, purged_at, documents)
       values ($1, $2, $3, 'peer', $4, $5, $6)`,
      [randomUUID(), randomUUID(), PATIENT, requestedAt, purgedAt, purgedAt ? 1 : null],
    );
  const booking = (status: string, requestedAt: Date) =>
    db.query(
      `insert into booking (booking_id, org, resident_id, patient, slot_region, slot_id, status, requested_at, expires_at)
       values ($1, 'hospital-1', '370285199001011234', $2, 'peer', $3, $4, $5, $6)`,
      // A pending one expires later: the booking sweep leaves it alone.
      [randomUUID(), PATIENT, randomUUID(), status, requestedAt, status === 'pending' ? daysAgo(-1) : requestedAt],
    );
  const count = async (table: string, where = 'true') =>
    Number((await db.query<{ n: string }[]>(`select count(*) as n from ${table} where ${where}`))[0].n);

  it('deletes expired rows in bounded batches, keeps fresh and pending ones, and audits each run', async () => {
    for (let i = 0; i < 5; i++) await replica(daysAgo(31));
    await replica(daysAgo(29));
    await purge(daysAgo(1100), daysAgo(1101)); // confirmed long ago: expired proof
    await purge(null, daysAgo(1101)); // never confirmed: kept until it is
    await purge(daysAgo(10), daysAgo(11));
    await booking('confirmed', daysAgo(400));
    await booking('pending', daysAgo(400));
    await booking('confirmed', daysAgo(10));

    const runs = await laixi.app.get(RetentionService).runOnce();

    await expect(count('replica_document')).resolves.toBe(1);
    await expect(count('health_purge')).resolves.toBe(2);
    await expect(count('health_purge', 'purged_at is null')).resolves.toBe(1);
    await expect(count('booking')).resolves.toBe(2);
    await expect(count('booking', `status = 'pending'`)).resolves.toBe(1);

    const replicaRun = runs.find((run) => run.rule === 'replica_document')!;
    expect(replicaRun).toMatchObject({ deleted: 5, batches: 3 });
    expect(Date.parse(replicaRun.cutoff)).toBeCloseTo(daysAgo(30).getTime(), -4);
    expect(runs.find((run) => run.rule === 'health_purge')).toMatchObject({ deleted: 1, batches: 1 });
    expect(runs.find((run) => run.rule === 'booking')).toMatchObject({ deleted: 1 });
    expect(runs.every((run) => run.auditEntryId && !run.error)).toBe(true);

    // One audit entry per rule and run: the table, the rows and the cutoff, in the hash chain.
    const [entry] = await db.query<{ action: string; purpose: string; resources: string[] }[]>(
      'select action, purpose, resources from audit_log where id = $1',
      [replicaRun.auditEntryId],
    );
    expect(entry).toEqual({
      action: 'retention.rows.deleted',
      purpose: 'retention: HEALTH_REPLICA_RETENTION_DAYS=30 days',
      resources: [
        'table:replica_document',
        'rule:replica_document',
        'rows:5',
        `cutoff:${replicaRun.cutoff}`,
        'batches:3',
      ],
    });
    await expect(count('audit_log', `action = 'retention.rows.deleted'`)).resolves.toBe(runs.length);
    const operator = { Authorization: `Bearer ${testToken(laixi.config, 'operator')}` };
    const verify = await request(laixi.url).get('/audit/verify').set(operator);
    expect(verify.body).toMatchObject({ valid: true });

    // Operators see every rule, its period and variable, and its last run.
    const status = await request(laixi.url).get('/audit/retention').set(operator);
    expect(status.status).toBe(200);
    const body = status.body as { batchSize: number; rules: { rule: string }[] };
    expect(body.batchSize).toBe(2);
    expect(body.rules.map((rule) => rule.rule)).toEqual(
      expect.arrayContaining(['audit_access_report', 'replica_document', 'booking', 'consent (revoked)']),
    );
    expect(body.rules.find((rule) => rule.rule === 'replica_document')).toMatchObject({
      setting: 'HEALTH_REPLICA_RETENTION_DAYS',
      days: 30,
      lastRun: { deleted: 5, auditEntryId: replicaRun.auditEntryId },
    });
  });

  it('audits a run that finds nothing, and skips rows another transaction holds instead of waiting', async () => {
    await replica(daysAgo(40));
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(`select 1 from replica_document where updated_at < $1 for update`, [daysAgo(35)]);
      const runs = await laixi.app.get(RetentionService).runOnce();
      expect(runs.find((run) => run.rule === 'replica_document')).toMatchObject({ deleted: 0, batches: 1 });
      expect(runs.find((run) => run.rule === 'slot')).toMatchObject({ deleted: 0 });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    const runs = await laixi.app.get(RetentionService).runOnce();
    expect(runs.find((run) => run.rule === 'replica_document')).toMatchObject({ deleted: 1 });
    await expect(count('replica_document')).resolves.toBe(1);
  });
});
