import {
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

/** GB 32100-2015's alphabet: digits and the capital letters but I, O, Z, S and V, valued 0 to 30 in this order. */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character (position 18) of the first 17 characters of a unified social credit code. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** Why `value` is not a valid GB 32100-2015 unified social credit code, or null if it is one. */
export function creditCodeProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length !== 18) return 'must be 18 characters';
  // Upper case only: the code is printed in capitals, and a lower-case spelling would name one enterprise twice.
  const bad = [...value].find((character) => !ALPHABET.includes(character));
  if (bad !== undefined) return `'${bad}' is not a character of the code (0-9 and A-Y but I, O, S, V, Z)`;
  if (!/^\d{6}$/.test(value.slice(2, 8))) return 'positions 3 to 8 must be an administrative division code';
  const expected = creditCodeCheckCharacter(value);
  if (value[17] !== expected) return `check character is wrong (expected ${expected})`;
  return null;
}

@ValidatorConstraint({ name: 'isCreditCode', async: false })
export class IsCreditCodeConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return creditCodeProblem(value) === null;
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} is not a valid unified social credit code: ${creditCodeProblem(args.value) ?? 'unknown reason'}`;
  }
}

/** Validates a GB 32100-2015 unified social credit code (18 characters, check character included). */
export function IsCreditCode(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCreditCode',
      target: target.constructor,
      propertyName: propertyName.toString(),
      options,
      validator: IsCreditCodeConstraint,
    });
  };
}
