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

export interface AuditEntry extends AuditEntryInput {
  id: string;
  at: string;
  prevHash: string;
  hash: string;
}

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Each entry's hash covers its id, time, content and the previous entry's hash, so altering, removing or
 * reordering any entry but the last breaks every hash after it.
 */
export function auditHash(prevHash: string, entry: Omit<AuditEntry, 'prevHash' | 'hash'>): string {
  const canonical = JSON.stringify([
    'shuanglai.audit.v1',
    prevHash,
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

export type ChainVerdict =
  { valid: true; entries: number; head: string } | { valid: false; entries: number; brokenAt: string; reason: string };

/** Checks a run of entries in id order, starting after `prevHash`; returns the verdict and the hash to continue from. */
export function verifyRun(
  entries: AuditEntry[],
  prevHash: string,
): { broken?: { id: string; reason: string }; head: string } {
  let head = prevHash;
  for (const entry of entries) {
    if (entry.prevHash !== head)
      return { broken: { id: entry.id, reason: 'does not follow the entry before it' }, head };
    if (auditHash(head, entry) !== entry.hash)
      return { broken: { id: entry.id, reason: 'its content does not match its hash' }, head };
    head = entry.hash;
  }
  return { head };
}
