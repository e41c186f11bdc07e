import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const policy = { baseMs: 100, maxMs: 1000 };

  it('doubles from the base, half fixed and half random', () => {
    expect([1, 2, 3].map((attempt) => backoffDelay(attempt, policy, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([100, 200, 400]);
  });

  it('never exceeds the cap, however many attempts', () => {
    expect(backoffDelay(5, policy, () => 1)).toBe(1000);
    expect(backoffDelay(10_000, policy, () => 1)).toBe(1000);
    expect(backoffDelay(10_000, policy, () => 0)).toBe(500);
  });

  it('treats an attempt below 1 as the first', () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
  });

  it('spreads instances that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, policy)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(400);
  });
});
