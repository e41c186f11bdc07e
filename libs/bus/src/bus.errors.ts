import { isDatabaseUnavailable, sqlState } from '@app/database';

/**
 * Why an event cannot be applied. The code is stable (it travels in the dead-letter headers and metrics); the
 * flag, not the message text, decides between retrying and dead-lettering.
 */
export type BusErrorCode =
  | 'BUS.MALFORMED'
  | 'BUS.INVALID_ENVELOPE'
  | 'BUS.UNKNOWN_REGION'
  | 'BUS.WRONG_REGION'
  | 'BUS.WRONG_TOPIC'
  | 'BUS.BAD_SIGNATURE'
  /** The signature names a key (kid) that the registry does not list for the origin region. */
  | 'BUS.UNKNOWN_SIGNING_KEY'
  /** The event's signed time is outside the validity window of the key that signed it. */
  | 'BUS.SIGNING_KEY_OUT_OF_WINDOW'
  /** The Kafka message key is not the signed subject: the event may be on another key's partition, out of order. */
  | 'BUS.KEY_MISMATCH'
  | 'BUS.UNKNOWN_TYPE'
  | 'BUS.INVALID_PAYLOAD'
  | 'BUS.STALE'
  | 'BUS.HANDLER_REJECTED'
  | 'BUS.HANDLER_FAILED';

export class BusError extends Error {
  constructor(
    readonly code: BusErrorCode,
    message: string,
    readonly retryable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BusError';
  }
}

/** How the consumer treats a failure to apply an event. */
export type FailureClass =
  /** The database or another dependency gave no service: nothing behind it could be applied either; wait for it. */
  | 'infrastructure'
  /** A conflict that may pass (serialization failure, deadlock, lock timeout): retry a few times. */
  | 'transient'
  /** The event will never apply (invalid for the domain): dead-letter it at once. */
  | 'permanent'
  /** Anything else, e.g. a bug: retry a few times, then dead-letter it so the partition moves on. */
  | 'unknown';

const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57014']);

/** Decided by the error's type, flags and SQLSTATE, never by its message. */
export function classifyFailure(error: unknown): FailureClass {
  if (typeof error !== 'object' || error === null) return 'unknown';
  if (isDatabaseUnavailable(error)) return 'infrastructure';
  if ('retryable' in error && typeof error.retryable === 'boolean') return error.retryable ? 'transient' : 'permanent';
  // A domain error (stable code and kind) says what it is: only 'unavailable' may pass.
  if ('code' in error && 'kind' in error && typeof error.kind === 'string') {
    return error.kind === 'unavailable' ? 'transient' : 'permanent';
  }
  const code = sqlState(error);
  if (code && TRANSIENT_SQLSTATES.has(code)) return 'transient';
  return 'unknown';
}
