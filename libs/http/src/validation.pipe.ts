import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import { ValidationError, ValidationTypes, ValidatorOptions, getMetadataStorage } from 'class-validator';
import { FieldError, flattenValidationErrors } from '@app/contracts';

/** The body of the BadRequestException a failed validation throws; the ProblemDetailsFilter copies `errors`. */
export interface ValidationFailure {
  message: string;
  errors: FieldError[];
}

/** The largest value of a PostgreSQL `int` column: integer fields stored in one carry `@Max(INT4_MAX)`. */
export const INT4_MAX = 2_147_483_647;

/** Deepest nesting of objects and arrays a request may carry (class-transformer recurses, so depth costs stack). */
export const MAX_INPUT_DEPTH = 32;
/** Errors reported at most per request: enough to fix it, bounded however bad the input. */
const MAX_FIELD_ERRORS = 50;
/** NUL, which PostgreSQL cannot store in text, and UTF-16 surrogates that are not part of a pair. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /[\u0000\p{Cs}]/u;

/**
 * Checks what class-validator cannot see, before it runs: nesting depth, and strings (values and keys) that
 * PostgreSQL would refuse. Iterative, so no input can exhaust the stack. Returns one error per bad field.
 */
export function inspectInput(value: unknown, root = ''): FieldError[] {
  const errors: FieldError[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (pending.length > 0 && errors.length < MAX_FIELD_ERRORS) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === 'string') {
      if (UNSTORABLE.test(current)) {
        errors.push({
          field: path || 'body',
          messages: [`${path || 'body'} must not contain NUL or unpaired surrogates`],
        });
      }
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      errors.push({
        field: path || 'body',
        messages: [`${path || 'body'} nests deeper than ${MAX_INPUT_DEPTH} levels`],
      });
      continue;
    }
    for (const [key, child] of Object.entries(current)) {
      const childPath = path ? `${path}.${key}` : key;
      if (UNSTORABLE.test(key)) {
        errors.push({ field: childPath, messages: ['a property name must not contain NUL or unpaired surrogates'] });
        continue;
      }
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return errors;
}

/**
 * What class-validator lets through on a transformed DTO: `null` where `@IsOptional()` (or `PartialType`) skips the
 * checks, and an array where `@ValidateNested()` without `each` expects one object.
 */
export function shapeErrors(object: object, prefix = '', depth = 0): FieldError[] {
  if (depth > MAX_INPUT_DEPTH) return [];
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(object.constructor, '', true, false);
  const properties = new Map<string, typeof metadatas>();
  for (const metadata of metadatas) {
    properties.set(metadata.propertyName, [...(properties.get(metadata.propertyName) ?? []), metadata]);
  }
  const errors: FieldError[] = [];
  for (const [property, rules] of properties) {
    const value = (object as Record<string, unknown>)[property];
    const field = prefix ? `${prefix}.${property}` : property;
    if (value === null) {
      errors.push({ field, messages: [`${property} must not be null (leave it out instead)`] });
      continue;
    }
    const nested = rules.filter((rule) => rule.type === ValidationTypes.NESTED_VALIDATION);
    if (nested.length === 0 || typeof value !== 'object' || value === undefined) continue;
    const each = nested.some((rule) => rule.each);
    if (!each && Array.isArray(value)) {
      errors.push({ field, messages: [`${property} must be an object, not an array`] });
      continue;
    }
    const children = Array.isArray(value)
      ? (value as unknown[]).map((item, i) => [item, `${field}.${i}`] as const)
      : [[value, field] as const];
    for (const [child, path] of children) {
      if (child !== null && typeof child === 'object') errors.push(...shapeErrors(child, path, depth + 1));
      else if (child === null) errors.push({ field: path, messages: [`${path} must not be null`] });
    }
  }
  return errors;
}

/** Merges entries of the same field, keeping each message once. */
function merged(errors: FieldError[]): FieldError[] {
  const byField = new Map<string, Set<string>>();
  for (const { field, messages } of errors) {
    const seen = byField.get(field) ?? new Set<string>();
    messages.forEach((message) => seen.add(message));
    byField.set(field, seen);
  }
  return [...byField].slice(0, MAX_FIELD_ERRORS).map(([field, messages]) => ({ field, messages: [...messages] }));
}

function invalid(errors: FieldError[]): BadRequestException {
  const all = merged(errors);
  const failure: ValidationFailure = {
    message: `Invalid request: ${all.map((error) => error.field).join(', ')}`,
    errors: all,
  };
  return new BadRequestException(failure);
}

/**
 * Strict input validation, in one place for every service: bounded depth, storable strings, a single string where
 * a parameter is a string, no `null` for a value, an object where one is expected; unknown properties are refused;
 * each invalid field is reported on its own.
 *
 * Leaves alone a value that already is an instance of its class: the bus hands its handlers payloads it has
 * validated on receipt, and validating each event twice would cost the consumer for nothing.
 */
class EdgeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return value;
    if (metadata.metatype && value instanceof metadata.metatype) return value;

    const name = metadata.data ?? '';
    const errors = inspectInput(value, name);
    if (metadata.type !== 'body' && name && value !== undefined && typeof value !== 'string') {
      errors.push({ field: name, messages: [`${name} must be given once, as a single value`] });
    }
    if (metadata.type === 'body' && !name && isDto(metadata) && value !== undefined && !isPlainObject(value)) {
      errors.push({ field: 'body', messages: ['the body must be a JSON object'] });
    }
    if (errors.length > 0) throw invalid(errors);
    return super.transform(value, metadata) as Promise<unknown>;
  }

  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, options);
    const shape = shapeErrors(object).map(({ field, messages }) =>
      Object.assign(new ValidationError(), { property: field, constraints: { shape: messages.join('; ') } }),
    );
    return [...errors, ...shape];
  }
}

function isDto(metadata: ArgumentMetadata): boolean {
  const type = metadata.metatype;
  return type !== undefined && ![Object, String, Number, Boolean, Array].includes(type as never);
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createValidationPipe(): ValidationPipe {
  return new EdgeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (validationErrors) => invalid(flattenValidationErrors(validationErrors)),
  });
}
