import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@app/config';
import { MatterCatalogue } from './matter-catalogue';
import { compare } from './catalogue-queries.service';

const FILE = join(__dirname, '..', '..', '..', '..', 'config', 'matters.json');
const raw = () => JSON.parse(readFileSync(FILE, 'utf8')) as { version: string; matters: Record<string, unknown>[] };

describe(MatterCatalogue.name, () => {
  it('loads config/matters.json: at least 160 matters, enterprise and personal, each with its materials', () => {
    const catalogue = MatterCatalogue.fromJSON(raw(), FILE, ['laixi', 'laiyang', 'jimo']);
    expect(catalogue.matters.length).toBeGreaterThanOrEqual(160);
    const categories = new Set(catalogue.matters.map((matter) => matter.category));
    expect(categories).toEqual(new Set(['enterprise', 'personal']));
    expect(catalogue.get('ENT-FOOD-BIZ')).toMatchObject({
      name: { zh: '食品经营许可', en: 'Food business licence' },
      resultType: 'licence',
      handlingRule: 'enterprise-area',
    });
    expect(catalogue.get('PER-MED-OTHER-CITY').handlingRule).toBe('resident-area');
    expect(catalogue.matters.every((matter) => matter.materials.length > 0)).toBe(true);
  });

  it('names the matter and the field of a bad entry', () => {
    const file = raw();
    (file.matters[3].materials as { maxBytes: number }[])[0].maxBytes = -1;
    const code = file.matters[3].code as string;
    expect(() => MatterCatalogue.fromJSON(file, 'matters.json')).toThrow(
      new ConfigError(`matters.json: matters.3 (${code}): materials.0.maxBytes: maxBytes must not be less than 1`),
    );
  });

  it('refuses a matter listed twice, a promise longer than the law allows and an unknown window', () => {
    const twice = raw();
    twice.matters.push({ ...twice.matters[0] });
    expect(() => MatterCatalogue.fromJSON(twice, 'm')).toThrow(/is listed twice/);

    const slow = raw();
    slow.matters[0].timeLimits = { statutoryDays: 5, promisedDays: 10 };
    expect(() => MatterCatalogue.fromJSON(slow, 'm')).toThrow(
      /matters\.0 \(.+\): timeLimits.promisedDays must not exceed timeLimits.statutoryDays/,
    );

    const elsewhere = raw();
    elsewhere.matters[0].windows = ['atlantis'];
    expect(() => MatterCatalogue.fromJSON(elsewhere, 'm', ['laixi', 'laiyang'])).toThrow(
      /windows names atlantis, which is not a region of the registry/,
    );
  });

  it('gives equal entries equal digests whatever the order of their keys', () => {
    const file = raw();
    const reordered = raw();
    reordered.matters = reordered.matters.map((matter) => Object.fromEntries(Object.entries(matter).reverse()));
    expect(MatterCatalogue.fromJSON(reordered).digest).toBe(MatterCatalogue.fromJSON(file).digest);
  });
});

describe(compare.name, () => {
  it('names the matters missing on either side and those that differ', () => {
    const here = [
      { code: 'A', digest: 'a'.repeat(43) },
      { code: 'B', digest: 'b'.repeat(43) },
      { code: 'C', digest: 'c'.repeat(43) },
    ];
    const there = [
      { code: 'B', digest: 'x'.repeat(43) },
      { code: 'C', digest: 'c'.repeat(43) },
      { code: 'D', digest: 'd'.repeat(43) },
    ];
    expect(compare(here, there)).toEqual([
      { code: 'A', difference: 'missing-there' },
      { code: 'B', difference: 'different' },
      { code: 'D', difference: 'missing-here' },
    ]);
  });
});
