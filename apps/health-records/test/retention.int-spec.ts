import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { HealthRecordsAppModule } from '../src/app.module';
import { HealthConfig } from '../src/health-records.config';
import { RetentionService } from '@app/audit';
import { loadServiceConfig } from '@app/config';
import { TestService, eventually, startTestServices, testRegions, testToken } from '@app/testing';

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

    // One audit entry per batch, in the batch's transaction: the table, the rows and the cutoff, in the hash chain.
    const entries = await db.query<{ id: string; action: string; purpose: string; resources: string[] }[]>(
      `select id::text, action, purpose, resources from audit_log
        where action = 'retention.rows.deleted' and resources ? 'rule:replica_document' order by id`,
    );
    const run = entries[0].resources.find((resource) => resource.startsWith('run:'))!;
    expect(entries).toEqual(
      [2, 2, 1].map((rows, i) => ({
        id: expect.any(String),
        action: 'retention.rows.deleted',
        purpose: 'retention: HEALTH_REPLICA_RETENTION_DAYS=30 days',
        resources: [
          'table:replica_document',
          'rule:replica_document',
          `cutoff:${replicaRun.cutoff}`,
          run,
          `rows:${rows}`,
          `batch:${i + 1}`,
        ],
      })),
    );
    expect(entries[2].id).toBe(replicaRun.auditEntryId);
    await expect(count('audit_log', `action = 'retention.rows.deleted'`)).resolves.toBe(
      runs.reduce((sum, r) => sum + r.batches, 0),
    );
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
    const metrics = (await request(laixi.url).get('/metrics')).text;
    expect(metrics).toMatch(/^retention_rows_deleted_total\{table="replica_document"[^}]*\} 5$/m);
    expect(metrics).toMatch(
      /^retention_last_run_rows_deleted\{rule="replica_document",table="replica_document"[^}]*\} 5$/m,
    );
    expect(metrics).toMatch(/^retention_last_run_timestamp_seconds\{rule="replica_document"[^}]*\} \d+/m);
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

  it("deletes the shared libraries' expired rows: superseded anchors, resolved dead letters past the inbox floor", async () => {
    const anchor = (table: string, time: string, region: string, seq: number, at: Date) =>
      db.query(
        `insert into ${table} (region, seq, hash, at, ${time === 'received_at' ? 'anchored_at, ' : ''}${time})
         values ($1, $2, $3, $4, ${time === 'received_at' ? '$4, ' : ''}$4)`,
        [region, seq, randomUUID().replace(/-/g, '').repeat(2), at],
      );
    for (const [table, time] of [
      ['audit_peer_anchor', 'received_at'],
      ['audit_anchor_ack', 'acknowledged_at'],
    ]) {
      await anchor(table, time, 'peer', 1, daysAgo(100)); // superseded and old: goes
      await anchor(table, time, 'peer', 2, daysAgo(95)); // superseded and old: goes
      await anchor(table, time, 'peer', 3, daysAgo(1)); // the furthest
      await anchor(table, time, 'other', 7, daysAgo(100)); // old, but the furthest of its peer: stays
    }
    const deadLetter = (offset: number, resolvedAt: Date | null, seq: number | null) =>
      db.query(
        `insert into bus_dead_letter (topic, partition, "offset", origin, seq, signed, reason_code, reason, headers,
           dead_at, resolved_at) values ('peer.health', 0, $1, 'peer', $2, $3, 'BUS.TEST', 'test', '{}', $4, $5)`,
        [offset, seq, seq !== null, daysAgo(200), resolvedAt],
      );
    await deadLetter(1, daysAgo(100), null); // resolved long ago, no sequence number: goes
    await deadLetter(2, daysAgo(100), 9); // resolved long ago, but above its stream's (absent) inbox floor: stays
    await deadLetter(3, daysAgo(10), null); // resolved lately: stays
    await deadLetter(4, null, null); // unresolved: the operators' work list, stays

    const runs = await laixi.app.get(RetentionService).runOnce();
    for (const table of ['audit_peer_anchor', 'audit_anchor_ack']) {
      expect(runs.find((run) => run.table === table)).toMatchObject({ deleted: 2 });
      const rows = await db.query<{ region: string; seq: string }[]>(
        `select region, seq::text from ${table} order by region, seq`,
      );
      expect([table, rows]).toEqual([
        table,
        [
          { region: 'other', seq: '7' },
          { region: 'peer', seq: '3' },
        ],
      ]);
    }
    expect(runs.find((run) => run.table === 'bus_dead_letter')).toMatchObject({ deleted: 1 });
    const letters = await db.query<{ offset: string }[]>(
      `select "offset"::text as offset from bus_dead_letter where topic = 'peer.health' order by "offset"`,
    );
    expect(letters.map((row) => row.offset)).toEqual(['2', '3', '4']);
    // Once the inbox floor passes its sequence number, a resolved dead letter goes too.
    await db.query(`insert into bus_inbox_floor (origin, topic, seq, pruned) values ('peer', 'peer.health', 9, 9)`);
    const later = await laixi.app.get(RetentionService).runOnce();
    expect(later.find((run) => run.table === 'bus_dead_letter')).toMatchObject({ deleted: 1 });
  });

  it('leaves every batch that committed audited when a run is cut off between batches', async () => {
    const retention = laixi.app.get(RetentionService);
    await db.query('delete from replica_document');
    for (let i = 0; i < 5; i++) await replica(daysAgo(31));
    // The run's second batch waits, after its deletes, on a lock the test holds: the run is cut off there, as by a
    // crash (its connection is killed), with its first batch committed.
    await db.query('create sequence retention_cut_off');
    await db.query(`
      create function retention_cut_off() returns trigger language plpgsql as $$
      begin
        if nextval('retention_cut_off') > 2 then perform pg_advisory_xact_lock(734501); end if;
        return old;
      end $$`);
    await db.query(
      'create trigger retention_cut_off before delete on replica_document for each row execute function retention_cut_off()',
    );
    const holder = new Client({ connectionString: laixi.config.databaseUrl });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock(734501)');
      const running = retention.runOnce();
      const [{ pid }] = await eventually(async () => {
        const { rows } = await holder.query<{ pid: number }>(
          `select pid from pg_stat_activity where datname = current_database() and wait_event = 'advisory'`,
        );
        return rows.length > 0 ? rows : undefined;
      });

      // What a crash now leaves: the first batch deleted and audited, nothing else of the run.
      const {
        rows: [last],
      } = await holder.query<{ resources: string[] }>(
        `select resources from audit_log where action = 'retention.rows.deleted'
            and resources ? 'rule:replica_document' order by id desc limit 1`,
      );
      const run = last.resources.find((resource) => resource.startsWith('run:'))!;
      const inRun = async () => {
        const { rows } = await holder.query<{ action: string; resources: string[] }>(
          'select action, resources from audit_log where resources ? $1 order by id',
          [run],
        );
        return rows;
      };
      await expect(count('replica_document')).resolves.toBe(3);
      expect(await inRun()).toEqual([
        expect.objectContaining({
          action: 'retention.rows.deleted',
          resources: expect.arrayContaining(['rows:2', 'batch:1']),
        }),
      ]);

      await holder.query('select pg_terminate_backend($1)', [pid]);
      const runs = await running;
      const cut = runs.find((r) => r.rule === 'replica_document')!;
      expect(cut).toMatchObject({ deleted: 2, batches: 1, error: expect.any(String) });
      await expect(count('replica_document')).resolves.toBe(3);
      // The cut-off batch deleted nothing and is in no entry; the failure is on record beside the committed batch.
      const entries = await inRun();
      expect(entries.map((entry) => entry.action)).toEqual(['retention.rows.deleted', 'retention.run.failed']);
      expect(entries[1].resources).toEqual(expect.arrayContaining(['rows:2', 'batches:1']));
    } finally {
      await holder.query('select pg_advisory_unlock_all()');
      await holder.end();
      await db.query('drop trigger if exists retention_cut_off on replica_document');
      await db.query('drop function if exists retention_cut_off()');
      await db.query('drop sequence if exists retention_cut_off');
    }
    // The next run takes the rest.
    const next = await retention.runOnce();
    expect(next.find((r) => r.rule === 'replica_document')).toMatchObject({ deleted: 3 });
    await expect(count('replica_document')).resolves.toBe(0);
    const verify = await request(laixi.url)
      .get('/audit/verify')
      .set({ Authorization: `Bearer ${testToken(laixi.config, 'operator')}` });
    expect(verify.body).toMatchObject({ valid: true });
  });
});
