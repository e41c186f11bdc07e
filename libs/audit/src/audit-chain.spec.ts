import { AuditEntry, GENESIS_HASH, auditHash, verifyRun } from './audit-chain';

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= length; i++) {
    const entry = {
      id: String(i),
      at: new Date(Date.UTC(2026, 10, 23, 8, 0, i)).toISOString(),
      actor: 'dev:his',
      role: 'his',
      org: 'laiyang-people-hospital',
      actorRegion: 'laiyang',
      action: 'health.record.read',
      purpose: 'continuity-of-care',
      subject: 'p1.abc',
      resources: [`doc-${i}`],
    };
    const hash = auditHash(prevHash, entry);
    entries.push({ ...entry, prevHash, hash });
    prevHash = hash;
  }
  return entries;
}

describe(verifyRun.name, () => {
  it('accepts an untouched chain and ends at its last hash', () => {
    const entries = chain(5);
    expect(verifyRun(entries, GENESIS_HASH)).toEqual({ head: entries[4].hash });
  });

  it('finds an entry whose content was altered', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], purpose: 'curiosity' };
    expect(verifyRun(entries, GENESIS_HASH).broken).toEqual({ id: '3', reason: 'its content does not match its hash' });
  });

  it('finds a removed entry at the one after it', () => {
    const entries = chain(5);
    entries.splice(1, 1);
    expect(verifyRun(entries, GENESIS_HASH).broken).toEqual({ id: '3', reason: 'does not follow the entry before it' });
  });

  it('finds entries swapped in order', () => {
    const entries = chain(4);
    [entries[1], entries[2]] = [entries[2], entries[1]];
    expect(verifyRun(entries, GENESIS_HASH).broken?.id).toBe('3');
  });
});
