import { BenefitDto } from '../config/talent-config';
import { CertificationFacts, certifierOf, decideClaim, isValidOn, outcomeOf } from './arbitration';

const allowance: BenefitDto = { code: 'allowance', name: 'Allowance', kind: 'exclusive', eligibleTiers: ['A', 'B'] };
const fastTrack: BenefitDto = { code: 'fast', name: 'Fast track', kind: 'shared', eligibleTiers: ['A', 'B', 'C'] };
const tierA: CertificationFacts = { tier: 'A', status: 'active', validFrom: '2026-01-01', validUntil: '2026-12-31' };

describe(decideClaim.name, () => {
  it('grants an eligible tier whose certification is valid on the claim date', () => {
    expect(decideClaim({ benefit: allowance, certifications: [tierA], on: '2026-06-01' })).toEqual({
      decision: 'granted',
    });
  });

  it('denies an exclusive benefit already granted, naming where', () => {
    expect(
      decideClaim({ benefit: allowance, certifications: [tierA], on: '2026-06-01', alreadyGrantedIn: 'laiyang' }),
    ).toEqual({ decision: 'denied', reason: 'already-granted', grantedIn: 'laiyang' });
  });

  it('grants a shared benefit again however often it was granted', () => {
    expect(
      decideClaim({ benefit: fastTrack, certifications: [tierA], on: '2026-06-01', alreadyGrantedIn: 'laixi' }),
    ).toEqual({ decision: 'granted' });
  });

  it.each([
    ['before validity', '2025-12-31', tierA],
    ['after validity', '2027-01-01', tierA],
    ['suspended', '2026-06-01', { ...tierA, status: 'suspended' as const }],
    ['revoked', '2026-06-01', { ...tierA, status: 'revoked' as const }],
  ])('denies a certification not valid on the date (%s)', (_case, on, certification) => {
    expect(decideClaim({ benefit: allowance, certifications: [certification], on })).toEqual({
      decision: 'denied',
      reason: 'certification-not-valid',
    });
  });

  it('denies a tier the benefit is not for', () => {
    expect(decideClaim({ benefit: allowance, certifications: [{ ...tierA, tier: 'D' }], on: '2026-06-01' })).toEqual({
      decision: 'denied',
      reason: 'tier-not-eligible',
    });
  });

  it('denies people never certified and benefits not in the catalogue', () => {
    expect(decideClaim({ benefit: allowance, certifications: [], on: '2026-06-01' })).toEqual({
      decision: 'denied',
      reason: 'not-certified',
    });
    expect(decideClaim({ benefit: undefined, certifications: [tierA], on: '2026-06-01' })).toEqual({
      decision: 'denied',
      reason: 'unknown-benefit',
    });
  });

  it('counts validity days at both ends', () => {
    expect(isValidOn(tierA, '2026-01-01')).toBe(true);
    expect(isValidOn(tierA, '2026-12-31')).toBe(true);
  });
});

describe(outcomeOf.name, () => {
  it('records a grant as paid by the claimant, and a denial with where the benefit was granted before', () => {
    expect(outcomeOf({ decision: 'granted' }, 'laiyang')).toEqual({
      decision: 'granted',
      reason: null,
      grantedIn: 'laiyang',
    });
    expect(outcomeOf({ decision: 'denied', reason: 'already-granted', grantedIn: 'laixi' }, 'laiyang')).toEqual({
      decision: 'denied',
      reason: 'already-granted',
      grantedIn: 'laixi',
    });
    expect(outcomeOf({ decision: 'denied', reason: 'not-certified' }, 'laiyang')).toEqual({
      decision: 'denied',
      reason: 'not-certified',
      grantedIn: null,
    });
  });
});

describe(certifierOf.name, () => {
  it('is the issuer of the latest certification not revoked, else of the latest', () => {
    expect(
      certifierOf([
        { origin: 'laixi', status: 'active' },
        { origin: 'laiyang', status: 'revoked' },
      ]),
    ).toBe('laixi');
    expect(
      certifierOf([
        { origin: 'laixi', status: 'revoked' },
        { origin: 'laiyang', status: 'revoked' },
      ]),
    ).toBe('laiyang');
  });
});
