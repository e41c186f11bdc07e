import { PERIOD_PATTERN } from '@app/contracts';

/** A party to a split: its region and its integer weight in the agreed ratio (60:40, 55:45, 2:1). */
export interface SplitParty {
  region: string;
  weight: number;
}

/** Consecutive periods of one kind have consecutive ordinals: 2026-Q4 → 2026 × 4 + 3; 2026-12 → 2026 × 12 + 11. */
export function periodOrdinal(period: string): number {
  const match = PERIOD_PATTERN.exec(period);
  if (!match) throw new RangeError(`${period} is not a period (YYYY-MM or YYYY-Qn)`);
  const year = Number(match[1]);
  return match[2] !== undefined ? year * 12 + Number(match[2]) - 1 : year * 4 + Number(match[3]) - 1;
}

/** The same period a year before: 2026-Q3 → 2025-Q3. */
export function yearBefore(period: string): string {
  return `${Number(period.slice(0, 4)) - 1}${period.slice(4)}`;
}

/**
 * Splits `total` fen among the parties in proportion to their weights, exactly: the shares are whole fen and sum to
 * the total. Largest remainder (Hamilton): each party gets the floor of its exact share, and the fen left over (fewer
 * than the parties) go one each to the largest remainders. Tie rule: among equal remainders, the party order starts
 * at `rotation` modulo the number of parties and wraps around; the caller passes a rotation that advances by one
 * each period (periodOrdinal + the indicator's position), so over consecutive periods each party comes first in turn
 * and no city gets the disputed fen period after period. Pure BigInt arithmetic: no floating point.
 */
export function splitAmount(total: bigint, parties: readonly SplitParty[], rotation: number): bigint[] {
  if (total < 0n) throw new RangeError('the total must not be negative');
  if (parties.length === 0 || parties.some((p) => !Number.isSafeInteger(p.weight) || p.weight < 0)) {
    throw new RangeError('weights must be whole numbers, not negative');
  }
  const weights = parties.map((p) => BigInt(p.weight));
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw new RangeError('the weights must not all be zero');
  const shares = weights.map((w) => (total * w) / sum);
  const remainders = weights.map((w) => (total * w) % sum);
  let spare = total - shares.reduce((a, b) => a + b, 0n);
  const n = parties.length;
  const start = ((rotation % n) + n) % n;
  const order = parties
    .map((_, i) => i)
    .sort((a, b) => {
      if (remainders[a] !== remainders[b]) return remainders[a] > remainders[b] ? -1 : 1;
      return ((a - start + n) % n) - ((b - start + n) % n);
    });
  for (const i of order) {
    if (spare === 0n) break;
    shares[i] += 1n;
    spare -= 1n;
  }
  return shares;
}
