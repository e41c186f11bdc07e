import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { PeriodicTask, sleep } from '@app/runtime';
import {
  AppendedEntry,
  AuditEntry,
  AuditEntryInput,
  ChainVerdict,
  GENESIS_HASH,
  chainHash,
  contentFault,
  contentHash,
  verifyRun,
} from './audit-chain';

/** One sealer at a time (per database) links entries into the chain. */
const SEAL_LOCK = 0x5d1a_a0d1;
const SEAL_BATCH = 5000;
const SEAL_INTERVAL_MS = 250;
const VERIFY_CHUNK = 5000;
const AUDIT_WRITTEN = 'shuanglai.auditWritten';

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  role: string;
  org: string;
  actor_region: string;
  action: string;
  purpose: string | null;
  subject: string | null;
  resources: string[];
  content_hash: string;
  seq: string | null;
  prev_hash: string | null;
  hash: string | null;
}

/**
 * The tamper-evident access log: who read whose data, for what purpose, when. An entry is appended in the
 * transaction of the access it records, with the hash of its content, so the log and the access commit together
 * and concurrent accesses never wait for each other. Right after the commit a sealer links the committed entries
 * into the hash chain in commit order; verification seals what is pending first, then recomputes everything.
 */
@Injectable()
export class AuditService
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown, EntitySubscriberInterface
{
  private readonly logger = new Logger(AuditService.name);
  /** Seals right after a commit that appended entries, and periodically for other processes of this database. */
  private readonly sealer = new PeriodicTask({
    name: 'audit sealer',
    intervalMs: SEAL_INTERVAL_MS,
    logger: this.logger,
    run: () => this.dataSource.transaction((manager) => this.sealBatch(manager)),
  });

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  onApplicationBootstrap(): void {
    this.sealer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sealer.stop();
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.data?.[AUDIT_WRITTEN]) {
      event.queryRunner.data = { ...event.queryRunner.data, [AUDIT_WRITTEN]: false };
      this.sealer.wake();
    }
  }

  async append(manager: EntityManager, input: AuditEntryInput): Promise<AppendedEntry> {
    const [entry] = await this.appendMany(manager, [input]);
    return entry;
  }

  /** Appends entries in order with one insert: a batch of accesses made in one transaction. */
  async appendMany(manager: EntityManager, inputs: AuditEntryInput[]): Promise<AppendedEntry[]> {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      throw new Error('AuditService.append must run inside the transaction of the access it records');
    }
    if (inputs.length === 0) return [];
    const slots = await manager.query<{ id: string; at: Date }[]>(
      `select nextval('audit_log_id_seq')::text as id, date_trunc('milliseconds', clock_timestamp()) as at
         from generate_series(1, $1)`,
      [inputs.length],
    );
    slots.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    const entries = inputs.map((input, i) => {
      const entry = { ...input, id: slots[i].id, at: slots[i].at.toISOString() };
      return { ...entry, contentHash: contentHash(entry) };
    });
    await manager.query(
      `insert into audit_log (id, at, actor, role, org, actor_region, action, purpose, subject, resources, content_hash)
       select * from unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::text[], $10::jsonb[], $11::text[])`,
      [
        entries.map((entry) => entry.id),
        entries.map((entry) => entry.at),
        entries.map((entry) => entry.actor),
        entries.map((entry) => entry.role),
        entries.map((entry) => entry.org),
        entries.map((entry) => entry.actorRegion),
        entries.map((entry) => entry.action),
        entries.map((entry) => entry.purpose ?? null),
        entries.map((entry) => entry.subject ?? null),
        entries.map((entry) => JSON.stringify(entry.resources)),
        entries.map((entry) => entry.contentHash),
      ],
    );
    runner.data = { ...runner.data, [AUDIT_WRITTEN]: true };
    return entries;
  }

  /** Links every committed entry not yet in the chain; resolves once they all are (by this or another sealer). */
  async sealPending(): Promise<void> {
    for (;;) {
      const sealed = await this.dataSource.transaction((manager) => this.sealBatch(manager));
      if (sealed === 'locked') await sleep(20);
      else if (sealed < SEAL_BATCH) return;
    }
  }

  async list(options: { subject?: string; limit: number }): Promise<AuditEntry[]> {
    const rows = await this.dataSource.query<AuditRow[]>(
      `select * from audit_log
        where ($1::text is null or subject = $1) order by id desc limit $2`,
      [options.subject ?? null, options.limit],
    );
    return rows.map(toEntry);
  }

  /** Seals what is pending, then recomputes the whole chain in order, and checks entries appended since. */
  async verify(): Promise<ChainVerdict> {
    await this.sealPending();
    let head = GENESIS_HASH;
    let after = '0';
    let entries = 0;
    for (;;) {
      const rows = await this.dataSource.query<AuditRow[]>(
        `select * from audit_log where seq > $1 order by seq limit $2`,
        [after, VERIFY_CHUNK],
      );
      if (rows.length === 0) break;
      const run = verifyRun(rows.map(toEntry), head);
      if (run.broken) {
        const before = rows.findIndex((row) => row.id === run.broken!.id);
        return { valid: false, entries: entries + before, brokenAt: run.broken.id, reason: run.broken.reason };
      }
      entries += rows.length;
      head = run.head;
      after = rows[rows.length - 1].seq!;
    }
    const pending = await this.dataSource.query<AuditRow[]>(`select * from audit_log where seq is null order by id`);
    const altered = pending.map(toEntry).map(contentFault).find(Boolean);
    if (altered) return { valid: false, entries, brokenAt: altered.id, reason: altered.reason };
    return { valid: true, entries, head, pending: pending.length };
  }

  private async sealBatch(manager: EntityManager): Promise<number | 'locked'> {
    const [{ locked }] = await manager.query<{ locked: boolean }[]>('select pg_try_advisory_xact_lock($1) as locked', [
      SEAL_LOCK,
    ]);
    if (!locked) return 'locked';
    const rows = await manager.query<{ id: string; content_hash: string }[]>(
      'select id, content_hash from audit_log where seq is null order by id limit $1',
      [SEAL_BATCH],
    );
    if (rows.length === 0) return 0;
    const [last] = await manager.query<{ seq: string; hash: string }[]>(
      'select seq, hash from audit_log where seq is not null order by seq desc limit 1',
    );
    let prevHash = last?.hash ?? GENESIS_HASH;
    let seq = BigInt(last?.seq ?? 0);
    const links = rows.map((row) => {
      seq += 1n;
      const link = { id: row.id, seq: String(seq), prevHash, hash: chainHash(prevHash, String(seq), row.content_hash) };
      prevHash = link.hash;
      return link;
    });
    await manager.query(
      `update audit_log a set seq = s.seq, prev_hash = s.prev_hash, hash = s.hash
         from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) as s(id, seq, prev_hash, hash)
        where a.id = s.id`,
      [links.map((l) => l.id), links.map((l) => l.seq), links.map((l) => l.prevHash), links.map((l) => l.hash)],
    );
    return rows.length;
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    role: row.role,
    org: row.org,
    actorRegion: row.actor_region,
    action: row.action,
    ...(row.purpose !== null && { purpose: row.purpose }),
    ...(row.subject !== null && { subject: row.subject }),
    resources: row.resources,
    contentHash: row.content_hash,
    ...(row.seq !== null && { seq: row.seq, prevHash: row.prev_hash!, hash: row.hash! }),
  };
}
