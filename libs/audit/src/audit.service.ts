import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEntry, AuditEntryInput, ChainVerdict, GENESIS_HASH, auditHash, verifyRun } from './audit-chain';

/** One transaction at a time appends to the chain, so that each entry follows exactly one other. */
const AUDIT_LOCK = 0x5d1a_a0d1;
const VERIFY_CHUNK = 5000;

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
  prev_hash: string;
  hash: string;
}

/**
 * The tamper-evident access log: who read whose data, for what purpose, when. Entries are appended in the
 * transaction of the access they record, so the log and the access commit together.
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async append(manager: EntityManager, input: AuditEntryInput): Promise<AuditEntry> {
    const [entry] = await this.appendMany(manager, [input]);
    return entry;
  }

  /** Appends entries in order with one lock and one insert: a batch of accesses made in one transaction. */
  async appendMany(manager: EntityManager, inputs: AuditEntryInput[]): Promise<AuditEntry[]> {
    if (inputs.length === 0) return [];
    await manager.query('select pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
    // The lock is held from the statement before: the last hash read here is the chain's head.
    const slots = await manager.query<{ id: string; at: Date; last: string | null }[]>(
      `select nextval('audit_log_id_seq')::text as id, date_trunc('milliseconds', clock_timestamp()) as at,
              (select hash from audit_log order by id desc limit 1) as last
         from generate_series(1, $1)`,
      [inputs.length],
    );
    slots.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    let prevHash = slots[0].last ?? GENESIS_HASH;
    const entries = inputs.map((input, i) => {
      const entry = { ...input, id: slots[i].id, at: slots[i].at.toISOString() };
      const chained = { ...entry, prevHash, hash: auditHash(prevHash, entry) };
      prevHash = chained.hash;
      return chained;
    });
    await manager.query(
      `insert into audit_log (id, at, actor, role, org, actor_region, action, purpose, subject, resources, prev_hash, hash)
       select * from unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::text[], $10::jsonb[], $11::text[], $12::text[])`,
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
        entries.map((entry) => entry.prevHash),
        entries.map((entry) => entry.hash),
      ],
    );
    return entries;
  }

  async list(options: { subject?: string; limit: number }): Promise<AuditEntry[]> {
    const rows = await this.dataSource.query<AuditRow[]>(
      `select * from audit_log where ($1::text is null or subject = $1) order by id desc limit $2`,
      [options.subject ?? null, options.limit],
    );
    return rows.map(toEntry);
  }

  /** Recomputes the whole chain, oldest first, in chunks. */
  async verify(): Promise<ChainVerdict> {
    let head = GENESIS_HASH;
    let after = '0';
    let entries = 0;
    for (;;) {
      const rows = await this.dataSource.query<AuditRow[]>(
        'select * from audit_log where id > $1 order by id limit $2',
        [after, VERIFY_CHUNK],
      );
      if (rows.length === 0) return { valid: true, entries, head };
      const run = verifyRun(rows.map(toEntry), head);
      if (run.broken) {
        const before = rows.findIndex((row) => row.id === run.broken!.id);
        return { valid: false, entries: entries + before, brokenAt: run.broken.id, reason: run.broken.reason };
      }
      entries += rows.length;
      head = run.head;
      after = rows[rows.length - 1].id;
    }
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
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
