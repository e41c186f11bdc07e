import { createHash } from 'node:crypto';

export interface AuditEntryInput {
  /** Who: the caller's subject, role, organisation and region (from the bearer token). */
  actor: string;
  role: string;
  org: string;
  actorRegion: string;
  /** What was done, as `<domain>.<thing>.<verb>`: `health.record.read`. */
  action: string;
  /** The stated purpose of the access, where the caller had to give one. */
  purpose?: string;
  /** Whose data: a pseudonym, never a clear ID number. */
  subject?: string;
  /** Which records, documents or alerts. */
  resources: string[];
}

/** An entry as appended: its content and the hash of that content, fixed in the access's own transaction. */
export interface AppendedEntry extends AuditEntryInput {
  id: string;
  at: string;
  contentHash: string;
}

/** An entry once the sealer has given it its place in the chain (`seq`), after the previous entry's hash. */
export interface AuditEntry extends AppendedEntry {
  seq?: string;
  prevHash?: string;
  hash?: string;
}

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The hash of an entry's id, time and content, computed when it is appended. */
export function contentHash(entry: Omit<AppendedEntry, 'contentHash'>): string {
  const canonical = JSON.stringify([
    'shuanglai.audit.v2',
    entry.id,
    entry.at,
    entry.actor,
    entry.role,
    entry.org,
    entry.actorRegion,
    entry.action,
    entry.purpose ?? null,
    entry.subject ?? null,
    entry.resources,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * The chain link of the entry at position `seq`: it covers the previous link and the entry's content hash, so
 * altering, removing or reordering any sealed entry but the last breaks every link after it.
 */
export function chainHash(prevHash: string, seq: string, entryContentHash: string): string {
  return createHash('sha256').update(`${prevHash}:${seq}:${entryContentHash}`).digest('hex');
}

export type ChainVerdict =
  | { valid: true; entries: number; head: string; pending: number }
  | { valid: false; entries: number; brokenAt: string; reason: string };

export type EntryFault = { id: string; reason: string };

/** An entry whose content no longer matches the hash fixed when it was appended. */
export function contentFault(entry: AuditEntry): EntryFault | undefined {
  return contentHash(entry) === entry.contentHash
    ? undefined
    : { id: entry.id, reason: 'its content does not match its hash' };
}

/** Checks a run of sealed entries in chain order, starting after `prevHash`; returns the first fault and the head. */
export function verifyRun(entries: AuditEntry[], prevHash: string): { broken?: EntryFault; head: string } {
  let head = prevHash;
  for (const entry of entries) {
    const altered = contentFault(entry);
    if (altered) return { broken: altered, head };
    if (entry.prevHash !== head)
      return { broken: { id: entry.id, reason: 'does not follow the entry before it' }, head };
    if (chainHash(head, entry.seq!, entry.contentHash) !== entry.hash) {
      return { broken: { id: entry.id, reason: 'its link does not match the chain' }, head };
    }
    head = entry.hash;
  }
  return { head };
}
