import { lifetimeProblem } from './token-verifier';

const policy = { maxLifetimeSeconds: 3600, clockSkewSeconds: 30 };
const now = 1_800_000_000;

describe(lifetimeProblem.name, () => {
  it.each([
    ['a token issued now for an hour', { iat: now, exp: now + 3600 }, undefined],
    ['a token issued within the clock skew ahead', { iat: now + 30, exp: now + 600 }, undefined],
    ['a token without iat that ends within the lifetime', { exp: now + 3600 }, undefined],
    ['a token without exp', { iat: now }, 'it has no exp'],
    [
      'a token issued ten years ahead',
      { iat: now + 315_360_000, exp: now + 315_363_600 },
      'it is issued in the future',
    ],
    ['a token issued beyond the skew ahead', { iat: now + 31, exp: now + 600 }, 'it is issued in the future'],
    [
      'a token living longer than allowed',
      { iat: now, exp: now + 3601 },
      'it lives longer than the 3600 s a token may',
    ],
    ['a token without iat ending too late', { exp: now + 3601 }, 'it lives longer than the 3600 s a token may'],
  ])('judges %s', (_case, claims, problem) => {
    expect(lifetimeProblem(claims, policy, now)).toBe(problem);
  });
});
