import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@app/config';
import { AUTHORITY_MAX_GRANTS } from '@app/contracts';
import { repoRoot } from '@app/embedded';
import { loadTalentConfig } from './talent-config';

function fileWith(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'talent-config-')), 'talent.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe(loadTalentConfig.name, () => {
  const shipped = JSON.parse(readFileSync(join(repoRoot(), 'config', 'talent.json'), 'utf8')) as {
    benefits: { code: string; eligibleTiers: string[] }[];
  };

  it("loads the shipped programme, with each city's own catalogue", () => {
    const laixi = loadTalentConfig('laixi', {}, repoRoot());
    const laiyang = loadTalentConfig('laiyang', {}, repoRoot());
    expect([...laixi.tiers.keys()]).toEqual(['A', 'B', 'C', 'D']);
    expect(laixi.catalogue().map((benefit) => benefit.code)).not.toContain('talent-apartment');
    expect(laiyang.catalogue().map((benefit) => benefit.code)).toContain('talent-apartment');
    // A certifier knows every benefit of the programme, also those only the other city offers.
    expect(laixi.benefits.has('talent-apartment')).toBe(true);
  });

  it('reads config/talent.json when TALENT_CONFIG_FILE is unset or empty', () => {
    expect([...loadTalentConfig('laixi', { TALENT_CONFIG_FILE: '' }, repoRoot()).tiers.keys()]).toEqual([
      'A',
      'B',
      'C',
      'D',
    ]);
  });

  it('names the file and the bad field', () => {
    const file = fileWith({ ...shipped, claimTimeoutMs: 'soon' });
    expect(() => loadTalentConfig('laixi', { TALENT_CONFIG_FILE: file })).toThrow(ConfigError);
    expect(() => loadTalentConfig('laixi', { TALENT_CONFIG_FILE: file })).toThrow(
      /^TALENT_CONFIG_FILE: .*claimTimeoutMs/,
    );
  });

  it('refuses a benefit for a tier the programme does not have', () => {
    const benefits = [{ ...shipped.benefits[0], eligibleTiers: ['A', 'Z'] }];
    const file = fileWith({ ...shipped, benefits });
    expect(() => loadTalentConfig('laixi', { TALENT_CONFIG_FILE: file })).toThrow(/names unknown tiers Z/);
  });

  it('refuses a missing file with its path', () => {
    expect(() => loadTalentConfig('laixi', { TALENT_CONFIG_FILE: '/nonexistent/talent.json' })).toThrow(
      /TALENT_CONFIG_FILE: cannot read \/nonexistent\/talent.json/,
    );
  });

  it("refuses a programme with more exclusive benefits than one hand-over of a person's authority carries", () => {
    const exclusive = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        code: `benefit-${i}`,
        name: 'b',
        kind: 'exclusive',
        eligibleTiers: ['A'],
      }));
    const withBenefits = (count: number) => fileWith({ ...shipped, benefits: exclusive(count) });
    expect(loadTalentConfig('laixi', { TALENT_CONFIG_FILE: withBenefits(AUTHORITY_MAX_GRANTS) }).benefits.size).toBe(
      AUTHORITY_MAX_GRANTS,
    );
    expect(() => loadTalentConfig('laixi', { TALENT_CONFIG_FILE: withBenefits(AUTHORITY_MAX_GRANTS + 1) })).toThrow(
      /1001 exclusive benefits; at most 1000 \(AUTHORITY_MAX_GRANTS\)/,
    );
  });
});
