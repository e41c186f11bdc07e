import { periodOrdinal, splitAmount, yearBefore } from './split';

const parties = (a: number, b: number) => [
  { region: 'laixi', weight: a },
  { region: 'laiyang', weight: b },
];

describe(splitAmount.name, () => {
  it('splits 6:4 exactly and sums to the total for awkward amounts and ratios', () => {
    expect(splitAmount(1_000_000n, parties(60, 40), 0)).toEqual([600_000n, 400_000n]);
    for (const [a, b] of [
      [60, 40],
      [55, 45],
      [2, 1],
      [1, 0],
      [9999, 1],
      [1, 1],
    ]) {
      for (const total of [0n, 1n, 2n, 3n, 7n, 99n, 100n, 101n, 12_345_678_901n, 9_999_999_999_999_999n]) {
        for (let rotation = 0; rotation < 4; rotation++) {
          const shares = splitAmount(total, parties(a, b), rotation);
          expect(shares[0] + shares[1]).toBe(total);
          expect(shares.every((share) => share >= 0n)).toBe(true);
          // Each share is within one fen of its exact value (total × weight / sum).
          const sum = BigInt(a + b);
          shares.forEach((share, i) => {
            const exact = total * BigInt([a, b][i]);
            expect(share * sum - exact < sum && exact - share * sum < sum).toBe(true);
          });
        }
      }
    }
  });

  it('gives the spare fen to the largest remainder whatever the rotation', () => {
    // 2:1 of 2 fen: exact shares 1.333 and 0.667; the larger remainder (0.667) gets the fen.
    expect(splitAmount(2n, parties(2, 1), 0)).toEqual([1n, 1n]);
    expect(splitAmount(2n, parties(2, 1), 1)).toEqual([1n, 1n]);
    // 6:4 of 1 fen: 0.6 and 0.4.
    expect(splitAmount(1n, parties(60, 40), 1)).toEqual([1n, 0n]);
    // Three parties: 10 fen by 1:1:1 leaves one fen, to the party the rotation names first.
    const three = [...parties(1, 1), { region: 'jimo', weight: 1 }];
    expect(splitAmount(10n, three, 0)).toEqual([4n, 3n, 3n]);
    expect(splitAmount(10n, three, 2)).toEqual([3n, 3n, 4n]);
  });

  it('does not favour one city over many periods when remainders tie (1 fen at 50:50, every quarter for 250 years)', () => {
    const wins = { laixi: 0, laiyang: 0 };
    for (let year = 2000; year < 2250; year++) {
      for (let q = 1; q <= 4; q++) {
        const [laixi] = splitAmount(1n, parties(50, 50), periodOrdinal(`${year}-Q${q}`));
        if (laixi === 1n) wins.laixi++;
        else wins.laiyang++;
      }
    }
    expect(wins).toEqual({ laixi: 500, laiyang: 500 });
    // Monthly periods too, and over any two consecutive periods each city gets the fen once.
    const months = Array.from({ length: 24 }, (_, i) => `2026-${String((i % 12) + 1).padStart(2, '0')}`);
    const firsts = months.map((m) => splitAmount(1n, parties(50, 50), periodOrdinal(m))[0]);
    for (let i = 0; i + 1 < 12; i++) expect(firsts[i] + firsts[i + 1]).toBe(1n);
  });

  it('refuses negative totals, negative or fractional weights and all-zero weights', () => {
    expect(() => splitAmount(-1n, parties(60, 40), 0)).toThrow(RangeError);
    expect(() => splitAmount(1n, parties(-1, 40), 0)).toThrow(RangeError);
    expect(() => splitAmount(1n, parties(0.5, 40), 0)).toThrow(RangeError);
    expect(() => splitAmount(1n, parties(0, 0), 0)).toThrow(RangeError);
  });
});

describe(periodOrdinal.name, () => {
  it('numbers consecutive months and quarters consecutively, across years', () => {
    expect(periodOrdinal('2027-01') - periodOrdinal('2026-12')).toBe(1);
    expect(periodOrdinal('2027-Q1') - periodOrdinal('2026-Q4')).toBe(1);
    expect(() => periodOrdinal('2026-13')).toThrow(RangeError);
    expect(yearBefore('2026-Q3')).toBe('2025-Q3');
    expect(yearBefore('2026-07')).toBe('2025-07');
  });
});
