import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateSync } from 'class-validator';
import { IsResidentId, residentIdCheckCharacter, residentIdProblem } from './resident-id';

interface ResidentIdFixture {
  valid: { id: string; note: string }[];
  invalid: { id: string; reason: string }[];
}

const fixture = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'testing', 'fixtures', 'resident-ids.json'), 'utf8'),
) as ResidentIdFixture;

/** A synthetic ID with the given area and birth date and a correct check character. */
function withCheckCharacter(first17Digits: string): string {
  return first17Digits + residentIdCheckCharacter(first17Digits);
}

describe(residentIdProblem.name, () => {
  it.each(fixture.valid.map((entry) => [entry.id, entry.note]))('does accept valid fixture %s (%s)', (id) => {
    expect(residentIdProblem(id)).toBeNull();
  });

  it.each(fixture.invalid.map((entry) => [entry.id, entry.reason]))('does reject invalid fixture "%s" (%s)', (id) => {
    expect(residentIdProblem(id)).toEqual(expect.any(String));
  });

  it('does name the expected character when the check character is wrong', () => {
    expect(residentIdProblem('370285196205237800')).toBe('check character is wrong (expected 9)');
  });

  it('does reject 30 February even with a correct check character', () => {
    expect(residentIdProblem('370285199002307807')).toBe('birth date is not a real date');
  });

  it('does reject month 13', () => {
    expect(residentIdProblem('370285199013017805')).toBe('birth date is not a real date');
  });

  it('does accept 29 February of a leap year and reject it otherwise', () => {
    expect(residentIdProblem(withCheckCharacter('37028520000229123'))).toBeNull();
    expect(residentIdProblem(withCheckCharacter('37028519000229123'))).toBe('birth date is not a real date');
  });

  it('does reject a lower-case x', () => {
    expect(residentIdProblem('37028519620523780x')).toBe('must be 17 digits followed by a digit or X');
    expect(residentIdProblem('37028519900101018x')).toBe('must be 17 digits followed by a digit or X');
  });

  it('does reject a wrong length', () => {
    expect(residentIdProblem('')).toBe('must be 18 characters');
    expect(residentIdProblem('37028519620523780')).toBe('must be 18 characters');
    expect(residentIdProblem('3702851962052378091')).toBe('must be 18 characters');
  });

  it('does reject a letter in the area code', () => {
    expect(residentIdProblem('37028A199001011234')).toBe('area code must be 6 digits');
  });

  it('does reject an area code starting with 0', () => {
    expect(residentIdProblem(withCheckCharacter('07028519900101123'))).toBe('area code must not start with 0');
  });

  it('does reject a letter in the birth date or sequence', () => {
    expect(residentIdProblem('3702851990010A1234')).toBe('must be 17 digits followed by a digit or X');
  });

  it('does reject birth dates before 1900', () => {
    expect(residentIdProblem(withCheckCharacter('37028518991231123'))).toBe('birth date is before 1900');
    expect(residentIdProblem(withCheckCharacter('37028519000101123'))).toBeNull();
  });

  it('does reject birth dates after today in China', () => {
    // 2024-06-30T17:00Z is already 1 July in China.
    const now = new Date('2024-06-30T17:00:00Z');
    expect(residentIdProblem(withCheckCharacter('37028520240701123'), now)).toBeNull();
    expect(residentIdProblem(withCheckCharacter('37028520240702123'), now)).toBe('birth date is in the future');
    expect(residentIdProblem(withCheckCharacter('37028529990101123'))).toBe('birth date is in the future');
  });

  it('does reject values that are not strings', () => {
    expect(residentIdProblem(370285196205)).toBe('must be a string');
    expect(residentIdProblem(undefined)).toBe('must be a string');
    expect(residentIdProblem(null)).toBe('must be a string');
  });
});

describe(IsResidentId.name, () => {
  class PersonDto {
    @IsResidentId()
    residentId!: unknown;
  }

  function errorsFor(residentId: unknown): string[] {
    const dto = new PersonDto();
    dto.residentId = residentId;
    return validateSync(dto).flatMap((error) => Object.values(error.constraints ?? {}));
  }

  it('does pass a valid ID', () => {
    expect(errorsFor('37028519900101018X')).toEqual([]);
  });

  it('does fail an invalid ID with the property and the reason in the message', () => {
    expect(errorsFor('370285196205237800')).toEqual([
      'residentId is not a valid resident ID number: check character is wrong (expected 9)',
    ]);
  });

  it('does fail a value that is not a string', () => {
    expect(errorsFor(42)).toEqual(['residentId is not a valid resident ID number: must be a string']);
  });
});
