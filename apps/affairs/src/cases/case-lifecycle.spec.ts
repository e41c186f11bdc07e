import { DomainError } from '@app/http';
import { assertTransition, clockRuns, decisionErrors } from './case-lifecycle';

describe(assertTransition.name, () => {
  it.each([
    ['received', 'accepted', false],
    ['accepted', 'supplement-requested', true],
    ['supplement-requested', 'supplement-provided', true],
    ['supplement-provided', 'under-review', true],
    ['supplement-provided', 'accepted', false],
    ['under-review', 'denied', true],
    ['approved', 'result-issued', true],
    ['result-issued', 'delivered', true],
  ] as const)('lets %s become %s', (from, to, accepted) => {
    expect(() => assertTransition(from, to, accepted)).not.toThrow();
  });

  it.each([
    ['received', 'approved', false],
    ['not-accepted', 'accepted', false],
    ['delivered', 'under-review', true],
    ['supplement-provided', 'accepted', true],
    ['supplement-provided', 'under-review', false],
    ['accepted', 'result-issued', true],
  ] as const)('refuses %s to %s with a conflict', (from, to, accepted) => {
    let error: unknown;
    try {
      assertTransition(from, to, accepted);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'AFFAIRS.ILLEGAL_TRANSITION', kind: 'conflict' });
  });
});

describe(clockRuns.name, () => {
  it('runs from acceptance, pauses for supplements and stops at the decision', () => {
    expect(clockRuns('received', false)).toBe(false);
    expect(clockRuns('under-review', true)).toBe(true);
    expect(clockRuns('supplement-requested', true)).toBe(false);
    expect(clockRuns('supplement-provided', true)).toBe(true);
    expect(clockRuns('approved', true)).toBe(false);
  });
});

describe(decisionErrors.name, () => {
  it('names each missing field of a decision', () => {
    expect(decisionErrors({ status: 'denied' }).map((error) => error.field)).toEqual(['reason', 'legalBasis']);
    expect(decisionErrors({ status: 'supplement-requested', supplement: [] })[0].field).toBe('supplement');
    expect(decisionErrors({ status: 'accepted' })).toEqual([]);
  });
});
