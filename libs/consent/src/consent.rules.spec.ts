import { ConsentRecord, consentCovers, coveredRegions, namedRegions } from './consent.rules';

const at = new Date('2026-11-24T08:00:00Z');

function consent(overrides: Partial<ConsentRecord> = {}): ConsentRecord {
  return {
    home: 'laixi',
    consentId: '0b8f4a52-3b6c-4d0e-9a51-6f8d2b1c0e11',
    patient: 'p1.abc',
    purpose: 'continuity-of-care',
    grantees: ['laiyang'],
    allPeers: false,
    validFrom: new Date('2026-11-01T00:00:00Z'),
    validUntil: null,
    grantedAt: new Date('2026-11-01T00:00:00Z'),
    revokedAt: null,
    ...overrides,
  };
}

const query = { region: 'laiyang', purpose: 'continuity-of-care', at };

describe(consentCovers.name, () => {
  it('covers a named grantee for the purpose within the validity window', () => {
    expect(consentCovers(consent(), query)).toBe(true);
  });

  it('covers every peer when the consent names all peers', () => {
    expect(consentCovers(consent({ grantees: null, allPeers: true }), { ...query, region: 'jimo' })).toBe(true);
  });

  it('does not cover a region the consent does not name', () => {
    expect(consentCovers(consent(), { ...query, region: 'jimo' })).toBe(false);
  });

  it('never counts the home city as a grantee', () => {
    expect(consentCovers(consent({ grantees: null, allPeers: true }), { ...query, region: 'laixi' })).toBe(false);
  });

  it('does not cover another purpose', () => {
    expect(consentCovers(consent(), { ...query, purpose: 'research' })).toBe(false);
  });

  it('starts at validFrom and ends at validUntil (exclusive)', () => {
    const window = consent({ validFrom: at, validUntil: new Date(at.getTime() + 1000) });
    expect(consentCovers(window, { ...query, at: new Date(at.getTime() - 1) })).toBe(false);
    expect(consentCovers(window, query)).toBe(true);
    expect(consentCovers(window, { ...query, at: new Date(at.getTime() + 1000) })).toBe(false);
  });

  it('ends with a revocation, whatever time the revocation carries', () => {
    expect(consentCovers(consent({ revokedAt: new Date(at.getTime() + 60_000) }), query)).toBe(false);
  });

  it('does not cover anything while only the revocation is known (it arrived before its grant)', () => {
    const revokedFirst = consent({
      purpose: null,
      grantees: null,
      validFrom: null,
      grantedAt: null,
      revokedAt: at,
    });
    expect(consentCovers(revokedFirst, query)).toBe(false);
  });
});

describe(coveredRegions.name, () => {
  it('lists the peers covered by any of the consents', () => {
    const consents = [consent(), consent({ grantees: ['jimo'], revokedAt: at })];
    expect(coveredRegions(consents, ['laiyang', 'jimo'], 'continuity-of-care', at)).toEqual(['laiyang']);
  });
});

describe(namedRegions.name, () => {
  it('names the listed grantees, or every peer', () => {
    expect(namedRegions(consent(), ['laiyang', 'jimo'])).toEqual(['laiyang']);
    expect(namedRegions(consent({ allPeers: true, grantees: null }), ['laiyang', 'jimo'])).toEqual(['laiyang', 'jimo']);
  });
});
