import { backoff } from './inbox.service';

describe(backoff.name, () => {
  it('doubles from 100 ms up to a cap of 10 s, each wait between half and all of its step', () => {
    expect([1, 2, 3, 8, 30].map((attempt) => backoff(attempt, () => 0))).toEqual([50, 100, 200, 5000, 5000]);
    expect([1, 2, 3, 8, 30].map((attempt) => backoff(attempt, () => 1))).toEqual([100, 200, 400, 10_000, 10_000]);
  });

  it('spreads instances that failed together', () => {
    const waits = new Set(Array.from({ length: 20 }, () => backoff(10)));
    expect(waits.size).toBeGreaterThan(1);
  });
});
