import { ValidationError } from 'class-validator';

export interface FieldError {
  /** Dotted path of the field: `regions.1.name`, `items.0.unit`. */
  field: string;
  messages: string[];
}

/** Flattens class-validator's nested errors to one entry per invalid field. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

export function formatValidationErrors(errors: ValidationError[]): string[] {
  return flattenValidationErrors(errors).map(({ field, messages }) => `${field}: ${messages.join(', ')}`);
}
