import { AuditEntry, GENESIS_HASH, chainHash, contentFault, contentHash, verifyRun } from './audit-chain';

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
    const sealed = { ...entry, contentHash: contentHash(entry), seq: String(i), prevHash };
    const hash = chainHash(prevHash, sealed.seq, sealed.contentHash);
    entries.push({ ...sealed, hash });
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

  it('finds an entry whose content and content hash were both rewritten, by its link', () => {
    const entries = chain(5);
    const forged = { ...entries[2], purpose: 'curiosity' };
    entries[2] = { ...forged, contentHash: contentHash(forged) };
    expect(verifyRun(entries, GENESIS_HASH).broken).toEqual({ id: '3', reason: 'its link does not match the chain' });
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

describe(contentFault.name, () => {
  it('finds an entry altered before it was sealed', () => {
    const [entry] = chain(1);
    expect(contentFault(entry)).toBeUndefined();
    expect(contentFault({ ...entry, resources: ['doc-9'] })).toEqual({
      id: '1',
      reason: 'its content does not match its hash',
    });
  });
});
