import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { advisoryXactLock } from '@app/database';
import { SignedCheckpointV1 } from '@app/contracts';

export interface LogState {
  size: number;
  frontier: Buffer[];
  lastSignedAt: number;
  lastHeadAt: number;
}

export interface LogEntryRow {
  idx: string;
  kind: string;
  entry: string;
  leaf_hash: Buffer;
  root: Buffer;
  signed_at: string;
  kid: string;
  signature: string;
  appended_at: Date;
}

export interface NewLogEntry {
  index: number;
  kind: string;
  entry: string;
  leafHash: Buffer;
  checkpoint: SignedCheckpointV1;
}

export interface HeadRow {
  origin: string;
  size: string;
  root: Buffer;
  signed_at: string;
  kid: string;
  signature: string;
  received_at: Date;
}

export interface CosignatureRow {
  log_origin: string;
  witness: string;
  size: string;
  root: Buffer;
  signed_at: string;
  cosigned_at: string;
  kid: string;
  signature: string;
}

export interface RefusalRow {
  log_origin: string;
  witness: string;
  size: string;
  root: Buffer;
  signed_at: string;
  code: string;
  reason: string;
  cosigned_size: string;
  first_difference: string | null;
  at: Date;
}

export interface EquivocationRow {
  id: string;
  origin: string;
  first: SignedCheckpointV1;
  second: SignedCheckpointV1;
  reason: string;
  detected_at: Date;
}

interface StateRecord {
  size: string;
  frontier: Buffer[];
  last_signed_at: string;
  last_head_at: string;
}

/** The ledger logs (this city's own and its copies of its peers'), their heads, cosignatures and conflicts. */
@Injectable()
export class LogRepository {
  /** Serialises writers of one log, for the transaction. */
  async lock(manager: EntityManager, origin: string): Promise<void> {
    await advisoryXactLock(manager, `ledger-log:${origin}`);
  }

  async state(manager: EntityManager, origin: string): Promise<LogState> {
    const [row] = await manager.query<StateRecord[]>(
      'select size, frontier, last_signed_at, last_head_at from ledger_log_state where origin = $1',
      [origin],
    );
    if (!row) return { size: 0, frontier: [], lastSignedAt: 0, lastHeadAt: 0 };
    return {
      size: Number(row.size),
      frontier: row.frontier,
      lastSignedAt: Number(row.last_signed_at),
      lastHeadAt: Number(row.last_head_at),
    };
  }

  async saveState(manager: EntityManager, origin: string, state: LogState): Promise<void> {
    await manager.query(
      `insert into ledger_log_state (origin, size, frontier, last_signed_at, last_head_at) values ($1, $2, $3, $4, $5)
       on conflict (origin) do update set size = $2, frontier = $3, last_signed_at = $4, last_head_at = $5`,
      [origin, state.size, state.frontier, state.lastSignedAt, state.lastHeadAt],
    );
  }

  async insertEntry(manager: EntityManager, origin: string, entry: NewLogEntry): Promise<void> {
    await manager.query(
      `insert into ledger_log (origin, idx, kind, entry, leaf_hash, root, signed_at, kid, signature)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        origin,
        entry.index,
        entry.kind,
        entry.entry,
        entry.leafHash,
        Buffer.from(entry.checkpoint.root, 'hex'),
        entry.checkpoint.timestamp,
        entry.checkpoint.kid,
        entry.checkpoint.signature,
      ],
    );
  }

  async entry(manager: EntityManager, origin: string, index: number): Promise<LogEntryRow | undefined> {
    const [row] = await manager.query<LogEntryRow[]>('select * from ledger_log where origin = $1 and idx = $2', [
      origin,
      index,
    ]);
    return row;
  }

  /** Entries of one log from `from` on, in order. */
  async entries(manager: EntityManager, origin: string, from: number, limit: number): Promise<LogEntryRow[]> {
    return manager.query<LogEntryRow[]>(
      'select * from ledger_log where origin = $1 and idx >= $2 order by idx limit $3',
      [origin, from, limit],
    );
  }

  /** The stored leaf hashes of the first `size` entries (for proofs). */
  async leafHashes(manager: EntityManager, origin: string, size: number): Promise<Buffer[]> {
    const rows = await manager.query<{ leaf_hash: Buffer }[]>(
      'select leaf_hash from ledger_log where origin = $1 and idx < $2 order by idx',
      [origin, size],
    );
    return rows.map((row) => row.leaf_hash);
  }

  async insertHead(manager: EntityManager, origin: string, head: SignedCheckpointV1): Promise<void> {
    await manager.query(
      `insert into ledger_head (origin, size, root, signed_at, kid, signature) values ($1, $2, $3, $4, $5, $6)
       on conflict do nothing`,
      [origin, head.size, Buffer.from(head.root, 'hex'), head.timestamp, head.kid, head.signature],
    );
  }

  async lastHead(manager: EntityManager, origin: string): Promise<HeadRow | undefined> {
    const [row] = await manager.query<HeadRow[]>(
      'select * from ledger_head where origin = $1 order by signed_at desc limit 1',
      [origin],
    );
    return row;
  }

  async headSignature(manager: EntityManager, origin: string, signedAt: string): Promise<string | undefined> {
    const [row] = await manager.query<{ signature: string }[]>(
      'select signature from ledger_head where origin = $1 and signed_at = $2',
      [origin, signedAt],
    );
    return row?.signature;
  }

  async heads(manager: EntityManager, origin: string, limit: number): Promise<HeadRow[]> {
    return manager.query<HeadRow[]>('select * from ledger_head where origin = $1 order by signed_at desc limit $2', [
      origin,
      limit,
    ]);
  }

  async insertCosignature(manager: EntityManager, row: Omit<CosignatureRow, 'root'> & { root: string }): Promise<void> {
    await manager.query(
      `insert into ledger_cosignature (log_origin, witness, size, root, signed_at, cosigned_at, kid, signature)
       values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing`,
      [
        row.log_origin,
        row.witness,
        row.size,
        Buffer.from(row.root, 'hex'),
        row.signed_at,
        row.cosigned_at,
        row.kid,
        row.signature,
      ],
    );
  }

  /** The furthest head of `logOrigin`'s log that `witness` cosigned. */
  async lastCosignature(
    manager: EntityManager,
    logOrigin: string,
    witness: string,
  ): Promise<CosignatureRow | undefined> {
    const [row] = await manager.query<CosignatureRow[]>(
      `select * from ledger_cosignature where log_origin = $1 and witness = $2
        order by size desc, signed_at desc limit 1`,
      [logOrigin, witness],
    );
    return row;
  }

  async insertRefusal(manager: EntityManager, row: Omit<RefusalRow, 'at' | 'root'> & { root: string }): Promise<void> {
    await manager.query(
      `insert into ledger_refusal
         (log_origin, witness, size, root, signed_at, code, reason, cosigned_size, first_difference)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        row.log_origin,
        row.witness,
        row.size,
        Buffer.from(row.root, 'hex'),
        row.signed_at,
        row.code,
        row.reason,
        row.cosigned_size,
        row.first_difference,
      ],
    );
  }

  /** Refusals of `logOrigin`'s heads, newest first. */
  async refusals(manager: EntityManager, logOrigin: string, limit: number, witness?: string): Promise<RefusalRow[]> {
    return manager.query<RefusalRow[]>(
      `select * from ledger_refusal where log_origin = $1 and ($3::text is null or witness = $3)
        order by id desc limit $2`,
      [logOrigin, limit, witness ?? null],
    );
  }

  async insertEquivocation(
    manager: EntityManager,
    origin: string,
    first: SignedCheckpointV1,
    second: SignedCheckpointV1,
    reason: string,
  ): Promise<void> {
    await manager.query('insert into ledger_equivocation (origin, first, second, reason) values ($1, $2, $3, $4)', [
      origin,
      first,
      second,
      reason,
    ]);
  }

  async equivocations(manager: EntityManager, limit: number): Promise<EquivocationRow[]> {
    return manager.query<EquivocationRow[]>('select * from ledger_equivocation order by id desc limit $1', [limit]);
  }
}
