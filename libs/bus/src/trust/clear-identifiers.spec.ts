import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findClearIdentifiers, replaceClearIdentifiers, scanText } from './clear-identifiers';
import { residentIdCheckCharacter } from './resident-id';

interface ResidentIdFixture {
  valid: { id: string }[];
  invalid: { id: string; reason: string }[];
}

const fixture = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'testing', 'fixtures', 'resident-ids.json'), 'utf8'),
) as ResidentIdFixture;

const NOW = new Date('2026-11-29T12:00:00Z');
const kinds = (text: string) => scanText(text, NOW).map((match) => match.kind);
const found = (text: string) => scanText(text, NOW).map((match) => text.slice(match.start, match.end));
const withCheck = (first17: string) => first17 + residentIdCheckCharacter(first17);

describe(scanText.name, () => {
  it.each(fixture.valid.map(({ id }) => [id]))('finds the valid resident ID %s in free text', (id) => {
    expect(found(`患者身份证号${id}，请核对`)).toEqual([id]);
  });

  it.each(fixture.invalid.filter(({ id }) => id.length === 18).map(({ id, reason }) => [id, reason]))(
    'ignores the invalid resident ID %s (%s)',
    (id) => {
      expect(kinds(`id ${id} here`)).not.toContain('resident-id');
    },
  );

  it('finds an ID with a lower-case check character x, which is still the person', () => {
    expect(found('id 37028519900101018x.')).toEqual(['37028519900101018x']);
  });

  it('ignores a wrong check character, an impossible date and a birth date in the future', () => {
    expect(kinds('370285196205237808')).toEqual([]);
    expect(kinds(withCheck('37028519900230123'))).toEqual([]);
    expect(kinds(withCheck('37028519901301123'))).toEqual([]);
    expect(kinds(withCheck('37028520291201123'))).toEqual([]);
    expect(kinds(withCheck('37028518991231123'))).toEqual([]);
    expect(kinds(withCheck('37028520000229123'))).toEqual(['resident-id']);
  });

  it('ignores an ID inside a longer run of digits, and finds it between letters or punctuation', () => {
    expect(kinds('1370285196205237809')).toEqual([]);
    expect(kinds('3702851962052378090')).toEqual([]);
    expect(kinds('order 99370285196205237809')).toEqual([]);
    expect(found('ID370285196205237809/ward')).toEqual(['370285196205237809']);
    expect(found('(370285196205237809)')).toEqual(['370285196205237809']);
  });

  it('finds mobile numbers, plain, grouped and with +86 or 0086', () => {
    expect(found('call 13812345678 now')).toEqual(['13812345678']);
    expect(found('电话：199 1234 5678。')).toEqual(['199 1234 5678']);
    expect(found('tel 138-1234-5678')).toEqual(['138-1234-5678']);
    expect(found('+8613812345678')).toEqual(['+8613812345678']);
    expect(found('+86 138 1234 5678')).toEqual(['+86 138 1234 5678']);
    expect(found('008615912345678')).toEqual(['008615912345678']);
  });

  it('ignores numbers that are not mobile numbers', () => {
    expect(kinds('12812345678')).toEqual([]); // 12x is no mobile prefix
    expect(kinds('1381234567')).toEqual([]); // 10 digits
    expect(kinds('138123456789')).toEqual([]); // 12 digits
    expect(kinds('213812345678')).toEqual([]); // inside a longer run
    expect(kinds('1764449514123')).toEqual([]); // a time in milliseconds
    expect(kinds('2026-11-29T20:51:54.123Z')).toEqual([]);
    expect(kinds('138  1234 5678')).toEqual([]); // two spaces are two fields
  });

  it('does not take a UUID, a hex digest or a pseudonym for a mobile number', () => {
    expect(kinds('documents 1b9d6138-1234-5678-9bcd-bbfd4b2d6b6d')).toEqual([]);
    expect(kinds('ab138123456780'.padEnd(64, 'c'))).toEqual([]);
    expect(kinds(`p1.${'A'.repeat(32)}13812345678`)).toEqual([]);
    expect(kinds('nothing opaque about 1b9d 138-1234-5678 here')).toEqual(['mobile']);
  });

  it('finds each identifier of a text in order', () => {
    expect(kinds('13812345678 and 370682198710126394 and 15912345678')).toEqual(['mobile', 'resident-id', 'mobile']);
  });
});

describe(replaceClearIdentifiers.name, () => {
  it('replaces each identifier by what the caller gives for it', () => {
    const text = 'patient 370682198710126394, tel 138 1234 5678.';
    expect(replaceClearIdentifiers(text, (_, kind) => `[${kind}]`, NOW)).toBe('patient [resident-id], tel [mobile].');
  });
});

describe(findClearIdentifiers.name, () => {
  it('names the dotted path of each string that holds one, never the value', () => {
    const payload = {
      patient: `p1.${'A'.repeat(43)}`,
      body: { sections: [{ text: 'fine' }, { text: 'id 370285196205237809 tel 13812345678' }] },
      note: 'call +86 159 1234 5678',
      count: 13812345678,
    };
    const findings = findClearIdentifiers(payload, NOW);
    expect(findings).toEqual([
      { path: 'body.sections.1.text', kinds: ['mobile', 'resident-id'] },
      { path: 'note', kinds: ['mobile'] },
    ]);
    expect(JSON.stringify(findings)).not.toMatch(/\d{11}/);
  });

  it('names a key that holds one as *, so that no path repeats it', () => {
    expect(findClearIdentifiers({ extras: { '370285196205237809': { tel: '13812345678' } } }, NOW)).toEqual([
      { path: 'extras.*', kinds: ['resident-id'] },
      { path: 'extras.*.tel', kinds: ['mobile'] },
    ]);
  });

  it('finds nothing in a payload of UUIDs, times and codes', () => {
    const documents = Array.from({ length: 5000 }, (_, i) => `1b9d6138-1234-5678-9bcd-${String(i).padStart(12, '0')}`);
    expect(findClearIdentifiers({ documents, at: NOW.toISOString(), code: 'HBA1C' }, NOW)).toEqual([]);
  });

  it('walks a deeply nested payload without exhausting the stack', () => {
    let deep: unknown = '13812345678';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(findClearIdentifiers(deep, NOW)).toHaveLength(1);
  });
});
