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
    await manager.query('select pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
    const [last] = await manager.query<{ hash: string }[]>('select hash from audit_log order by id desc limit 1');
    const [{ id, at }] = await manager.query<{ id: string; at: Date }[]>(
      `select nextval('audit_log_id_seq')::text as id, date_trunc('milliseconds', clock_timestamp()) as at`,
    );
    const prevHash = last?.hash ?? GENESIS_HASH;
    const entry = { ...input, id, at: at.toISOString() };
    const hash = auditHash(prevHash, entry);
    await manager.query(
      `insert into audit_log (id, at, actor, role, org, actor_region, action, purpose, subject, resources, prev_hash, hash)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        id,
        entry.at,
        input.actor,
        input.role,
        input.org,
        input.actorRegion,
        input.action,
        input.purpose ?? null,
        input.subject ?? null,
        JSON.stringify(input.resources),
        prevHash,
        hash,
      ],
    );
    return { ...entry, prevHash, hash };
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
