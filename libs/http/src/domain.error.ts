/** What went wrong, independent of HTTP; the HTTP edge maps each kind to a status. */
export type DomainErrorKind = 'not-found' | 'conflict' | 'invalid' | 'forbidden' | 'unavailable' | 'too-large';

export interface DomainErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one base for errors the domain raises on purpose. `code` is stable (`TALENT.ALREADY_GRANTED`) because
 * `instanceof` does not survive a process boundary; callers and the bus act on `code` and `kind`, never on the message.
 */
export class DomainError extends Error {
  readonly details?: Record<string, unknown>;

  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details;
  }
}
