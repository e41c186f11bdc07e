import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { residentIdCheckCharacter } from '@app/bus';

/**
 * Synthetic resident IDs (Laixi's area code, a 1990s birth date, a sequence number and the right check character):
 * as many as a test needs, none of them a real person's.
 */
export function syntheticResidentIds(count: number, seed: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = seed * 10_000 + i;
    const birth = `199${n % 10}${String((n % 12) + 1).padStart(2, '0')}${String((n % 28) + 1).padStart(2, '0')}`;
    const first17 = `370285${birth}${String(Math.floor(n / 10) % 1000).padStart(3, '0')}`;
    return first17 + residentIdCheckCharacter(first17);
  });
}

/** A talent programme file for one test's regions: laiyang alone offers `laiyang-apartment`. */
export function talentConfigFile(names: Record<string, string>, claimTimeoutMs = 60_000): string {
  const file = join(mkdtempSync(join(tmpdir(), 'shuanglai-talent-')), 'talent.json');
  writeFileSync(
    file,
    JSON.stringify({
      tiers: [
        { code: 'A', name: 'Top talent' },
        { code: 'B', name: 'Leading talent' },
        { code: 'C', name: 'High-level talent' },
        { code: 'D', name: 'Scarce technical talent' },
      ],
      hukouServices: ['school-enrolment', 'housing-eligibility', 'social-insurance-transfer'],
      claimTimeoutMs,
      benefits: [
        { code: 'fast-track-services', name: 'Fast track', kind: 'shared', eligibleTiers: ['A', 'B', 'C', 'D'] },
        {
          code: 'laiyang-apartment',
          name: 'Talent apartment',
          kind: 'shared',
          eligibleTiers: ['A'],
          regions: [names.laiyang],
        },
        { code: 'settling-in-allowance', name: 'Settling-in', kind: 'exclusive', eligibleTiers: ['A', 'B', 'C', 'D'] },
        { code: 'housing-subsidy', name: 'Housing subsidy', kind: 'exclusive', eligibleTiers: ['A', 'B'] },
      ],
    }),
  );
  return file;
}
