import { Candidate, CatalogueInForce, ReuseContext, answerFor, judgeCandidate, labQualifiedAt } from './reuse-rules';

const DAY = 24 * 60 * 60 * 1000;
const now = new Date('2026-03-20T08:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

const laiyang: CatalogueInForce = {
  region: 'laiyang',
  version: 3,
  recognised: new Map([
    ['CBC', 7],
    ['CT-CHEST', 30],
    ['HBA1C', 90],
  ]),
};
const laixi: CatalogueInForce = {
  region: 'laixi',
  version: 5,
  recognised: new Map([
    ['CBC', 7],
    ['CT-CHEST', 14],
    ['ALT', 7],
  ]),
};
const qualified = [{ validFrom: daysAgo(365), validUntil: daysAgo(-365), eqaPassed: true, suspendedFrom: null }];

function context(overrides: Partial<ReuseContext> = {}): ReuseContext {
  return { now, local: laiyang, peers: new Map([['laixi', laixi]]), consentingPeers: new Set(['laixi']), ...overrides };
}

function candidate(overrides: Partial<Candidate> = {}): Candidate {
  return {
    origin: 'laixi',
    reportId: 'R1',
    reportVersion: 1,
    status: 'final',
    withdrawn: false,
    labId: 'LX-LAB-1',
    collectedAt: daysAgo(2),
    abnormal: false,
    qualifications: qualified,
    ...overrides,
  };
}

describe(judgeCandidate.name, () => {
  it('does reuse a normal result of a qualified lab within the joint window, naming both catalogue versions', () => {
    expect(judgeCandidate('CBC', candidate(), context())).toEqual({
      reason: 'REUSABLE',
      reusable: true,
      catalogue: [
        { region: 'laiyang', version: 3 },
        { region: 'laixi', version: 5 },
      ],
      candidate: candidate(),
      validityDays: 7,
    });
  });

  it('does flag an abnormal result as reusable for the doctor to judge', () => {
    const verdict = judgeCandidate('CBC', candidate({ abnormal: true }), context());
    expect(verdict).toMatchObject({ reason: 'ABNORMAL_RESULT', reusable: true });
  });

  it('does apply the stricter of the two validity windows', () => {
    expect(judgeCandidate('CT-CHEST', candidate({ collectedAt: daysAgo(14) }), context())).toMatchObject({
      reason: 'REUSABLE',
      validityDays: 14,
    });
    expect(
      judgeCandidate('CT-CHEST', candidate({ collectedAt: new Date(daysAgo(14).getTime() - 1) }), context()),
    ).toMatchObject({ reason: 'OUTSIDE_VALIDITY_WINDOW', reusable: false });
  });

  it('does refuse the day after the window closes', () => {
    expect(judgeCandidate('CBC', candidate({ collectedAt: daysAgo(8) }), context()).reason).toBe(
      'OUTSIDE_VALIDITY_WINDOW',
    );
  });

  it('does refuse an item only one city recognises, whichever city it is', () => {
    expect(judgeCandidate('HBA1C', candidate(), context()).reason).toBe('NOT_IN_JOINT_CATALOGUE');
    expect(judgeCandidate('ALT', candidate(), context()).reason).toBe('NOT_IN_JOINT_CATALOGUE');
  });

  it('does refuse when either city has no catalogue in force yet', () => {
    expect(judgeCandidate('CBC', candidate(), context({ local: undefined })).reason).toBe('NOT_IN_JOINT_CATALOGUE');
    expect(judgeCandidate('CBC', candidate(), context({ peers: new Map() })).reason).toBe('NOT_IN_JOINT_CATALOGUE');
  });

  it('does refuse a result without an active consent before looking at anything else', () => {
    const verdict = judgeCandidate('CBC', candidate({ status: 'cancelled' }), context({ consentingPeers: new Set() }));
    expect(verdict).toMatchObject({ reason: 'NO_CONSENT', reusable: false });
  });

  it('does refuse a cancelled report and an item withdrawn by an amendment', () => {
    expect(judgeCandidate('CBC', candidate({ status: 'cancelled' }), context()).reason).toBe('REPORT_CANCELLED');
    expect(judgeCandidate('CBC', candidate({ status: 'amended', withdrawn: true }), context()).reason).toBe(
      'REPORT_AMENDED',
    );
  });

  it('does reuse the values of an amended report that still carries the item', () => {
    const amended = candidate({ status: 'amended', reportVersion: 2, abnormal: true });
    expect(judgeCandidate('CBC', amended, context())).toMatchObject({
      reason: 'ABNORMAL_RESULT',
      candidate: { reportVersion: 2 },
    });
  });

  it('does judge the lab at the time of collection: suspended before it refuses, suspended after it does not', () => {
    const suspendedBefore = [{ ...qualified[0], suspendedFrom: daysAgo(3) }];
    const suspendedAfter = [{ ...qualified[0], suspendedFrom: daysAgo(1) }];
    expect(judgeCandidate('CBC', candidate({ qualifications: suspendedBefore }), context()).reason).toBe(
      'LAB_NOT_QUALIFIED',
    );
    expect(judgeCandidate('CBC', candidate({ qualifications: suspendedAfter }), context()).reason).toBe('REUSABLE');
  });

  it('does refuse a lab with no qualification or a failed EQA', () => {
    expect(judgeCandidate('CBC', candidate({ qualifications: [] }), context()).reason).toBe('LAB_NOT_QUALIFIED');
    const failed = [{ ...qualified[0], eqaPassed: false }];
    expect(judgeCandidate('CBC', candidate({ qualifications: failed }), context()).reason).toBe('LAB_NOT_QUALIFIED');
  });
});

describe(labQualifiedAt.name, () => {
  const period = { validFrom: daysAgo(10), validUntil: daysAgo(5), eqaPassed: true, suspendedFrom: null };

  it('does include the start of a period and exclude its end', () => {
    expect(labQualifiedAt([period], daysAgo(10))).toBe(true);
    expect(labQualifiedAt([period], daysAgo(5))).toBe(false);
    expect(labQualifiedAt([period], daysAgo(11))).toBe(false);
  });

  it('does accept a later period after a suspended one (re-qualification)', () => {
    const later = { validFrom: daysAgo(4), validUntil: daysAgo(-4), eqaPassed: true, suspendedFrom: null };
    expect(labQualifiedAt([{ ...period, suspendedFrom: daysAgo(8) }, later], daysAgo(2))).toBe(true);
    expect(labQualifiedAt([{ ...period, suspendedFrom: daysAgo(8) }, later], daysAgo(7))).toBe(false);
  });
});

describe(answerFor.name, () => {
  it('does prefer the latest reusable normal result over a more recent abnormal or expired one', () => {
    const older = candidate({ reportId: 'OLD', collectedAt: daysAgo(5) });
    const abnormal = candidate({ reportId: 'ABN', collectedAt: daysAgo(1), abnormal: true });
    const cancelled = candidate({ reportId: 'CAN', collectedAt: daysAgo(0.5), status: 'cancelled' });
    const verdict = answerFor('CBC', [abnormal, older, cancelled], context());
    expect(verdict).toMatchObject({ reason: 'REUSABLE', candidate: { reportId: 'OLD' } });
  });

  it('does name the reason of the most recent result when none is reusable', () => {
    const expired = candidate({ reportId: 'EXP', collectedAt: daysAgo(20) });
    const cancelled = candidate({ reportId: 'CAN', collectedAt: daysAgo(1), status: 'cancelled' });
    expect(answerFor('CBC', [expired, cancelled], context())).toMatchObject({
      reason: 'REPORT_CANCELLED',
      reusable: false,
      candidate: { reportId: 'CAN' },
    });
  });

  it('does tell apart no prior result, no consent and an item outside the joint catalogue', () => {
    expect(answerFor('CBC', [], context())).toEqual({
      reason: 'NO_PRIOR_RESULT',
      reusable: false,
      catalogue: [
        { region: 'laiyang', version: 3 },
        { region: 'laixi', version: 5 },
      ],
    });
    expect(answerFor('CBC', [], context({ consentingPeers: new Set() })).reason).toBe('NO_CONSENT');
    expect(answerFor('HBA1C', [], context()).reason).toBe('NOT_IN_JOINT_CATALOGUE');
  });
});
