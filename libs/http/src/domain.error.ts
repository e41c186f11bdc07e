import { FieldError } from '@app/contracts';

/** What went wrong, independent of HTTP; the HTTP edge maps each kind to a status. */
export type DomainErrorKind =
  | 'not-found'
  | 'conflict'
  | 'invalid'
  | 'forbidden'
  | 'unavailable'
  | 'too-large'
  /** Well-formed, but its content may not be accepted (e.g. a clear identifier in an event): 422. */
  | 'unprocessable';

export interface DomainErrorOptions {
  details?: Record<string, unknown>;
  /** The fields at fault, shown to the caller as the problem's `errors`. */
  errors?: FieldError[];
  cause?: unknown;
}

/**
 * The one base for errors the domain raises on purpose. `code` is stable (`TALENT.ALREADY_GRANTED`) because
 * `instanceof` does not survive a process boundary; callers and the bus act on `code` and `kind`, never on the message.
 */
export class DomainError extends Error {
  readonly details?: Record<string, unknown>;
  readonly errors?: FieldError[];

  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details;
    this.errors = options.errors;
  }
}
