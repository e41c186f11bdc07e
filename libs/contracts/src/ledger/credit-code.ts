import { ValidationOptions, ValidateBy, buildMessage } from 'class-validator';

/** GB 32100-2015's character set: digits and capitals without I, O, S, V and Z; a character's value is its index. */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** The code's shape (the check character aside). */
export const CREDIT_CODE_PATTERN = /^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/;

/**
 * A unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, the registering authority and kind,
 * a 6-digit administrative division, the 9-character organisation code and a check character (modulo 31).
 */
export function isValidCreditCode(code: unknown): code is string {
  if (typeof code !== 'string' || !CREDIT_CODE_PATTERN.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(code[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31] === code[17];
}

export function IsCreditCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCreditCode',
      validator: {
        validate: (value) => isValidCreditCode(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a unified social credit code (GB 32100: 18 characters, check character)`,
          options,
        ),
      },
    },
    options,
  );
}
