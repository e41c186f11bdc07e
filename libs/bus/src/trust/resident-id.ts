import {
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
const EARLIEST_BIRTH_DATE = '19000101';
// Birth dates are calendar dates in China; UTC+8 has no daylight saving time.
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The ISO 7064 MOD 11-2 check character for the first 17 digits of a resident identity number. */
export function residentIdCheckCharacter(first17Digits: string): string {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) sum += Number(first17Digits[i]) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

/**
 * Why `value` is not a valid GB 11643-1999 resident identity number, or null if it is one.
 * `now` decides which birth dates lie in the future.
 */
export function residentIdProblem(value: unknown, now: Date = new Date()): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length !== 18) return 'must be 18 characters';
  if (!/^\d{6}/.test(value)) return 'area code must be 6 digits';
  if (value[0] === '0') return 'area code must not start with 0';
  // Upper-case X only: the standard prints X, and a lower-case x would yield a second spelling of one person.
  if (!/^\d{17}[\dX]$/.test(value)) return 'must be 17 digits followed by a digit or X';

  const birthDate = value.slice(6, 14);
  if (!isCalendarDate(birthDate)) return 'birth date is not a real date';
  if (birthDate < EARLIEST_BIRTH_DATE) return 'birth date is before 1900';
  if (birthDate > todayInChina(now)) return 'birth date is in the future';

  const expected = residentIdCheckCharacter(value);
  if (value[17] !== expected) return `check character is wrong (expected ${expected})`;
  return null;
}

function isCalendarDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function todayInChina(now: Date): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

@ValidatorConstraint({ name: 'isResidentId', async: false })
export class IsResidentIdConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return residentIdProblem(value) === null;
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} is not a valid resident ID number: ${residentIdProblem(args.value) ?? 'unknown reason'}`;
  }
}

/** Validates a GB 11643-1999 resident identity number (18 characters, check character included). */
export function IsResidentId(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isResidentId',
      target: target.constructor,
      propertyName: propertyName.toString(),
      options,
      validator: IsResidentIdConstraint,
    });
  };
}
