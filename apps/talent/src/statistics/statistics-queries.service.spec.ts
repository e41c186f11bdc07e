import { yearOnYear } from './statistics-queries.service';

describe(yearOnYear.name, () => {
  it('gives the growth over the same period a year before, in per cent', () => {
    expect(yearOnYear(135, 100)).toBe(35);
    expect(yearOnYear(3, 2)).toBe(50);
    expect(yearOnYear(1, 3)).toBe(-66.7);
  });

  it('has no growth without a year before', () => {
    expect(yearOnYear(5, 0)).toBeNull();
  });
});
