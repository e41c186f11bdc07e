import { monthRange } from './recognition-queries.service';

describe(monthRange.name, () => {
  it('does start and end a month at midnight in China (UTC+8)', () => {
    expect(monthRange('2026-11')).toEqual({
      from: new Date('2026-10-31T16:00:00Z'),
      until: new Date('2026-11-30T16:00:00Z'),
    });
  });

  it('does roll December over into the next year', () => {
    expect(monthRange('2026-12').until).toEqual(new Date('2026-12-31T16:00:00Z'));
  });

  it('does count 29 February in a leap year', () => {
    const { from, until } = monthRange('2028-02');
    expect((until.getTime() - from.getTime()) / 86_400_000).toBe(29);
  });
});
