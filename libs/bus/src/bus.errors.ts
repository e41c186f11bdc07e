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

/** How the consumer treats a handler's error. */
export type FailureClass =
  /** The database or another dependency is unreachable: nothing behind it could be applied either; wait and retry. */
  | 'infrastructure'
  /** A conflict that may pass (serialization failure, deadlock, lock timeout): retry a few times. */
  | 'transient'
  /** The event will never apply (invalid for the domain): dead-letter it at once. */
  | 'permanent'
  /** Anything else, e.g. a bug: retry a few times, then dead-letter it so the partition moves on. */
  | 'unknown';

const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57014']);
const INFRASTRUCTURE_SQLSTATE_CLASSES = ['08', '53', '57P'];
const INFRASTRUCTURE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

export function classifyFailure(error: unknown): FailureClass {
  if (typeof error !== 'object' || error === null) return 'unknown';
  if ('retryable' in error && typeof error.retryable === 'boolean') return error.retryable ? 'transient' : 'permanent';
  // A domain error (stable code and kind) says what it is: only 'unavailable' may pass.
  if ('code' in error && 'kind' in error && typeof error.kind === 'string') {
    return error.kind === 'unavailable' ? 'transient' : 'permanent';
  }
  const code = sqlState(error) ?? ('code' in error && typeof error.code === 'string' ? error.code : undefined);
  if (code && TRANSIENT_SQLSTATES.has(code)) return 'transient';
  if (code && INFRASTRUCTURE_SQLSTATE_CLASSES.some((prefix) => code.startsWith(prefix))) return 'infrastructure';
  if (code && INFRASTRUCTURE_ERRNOS.has(code)) return 'infrastructure';
  return 'unknown';
}

function sqlState(error: object): string | undefined {
  const driver = 'driverError' in error ? error.driverError : undefined;
  if (typeof driver === 'object' && driver !== null && 'code' in driver && typeof driver.code === 'string') {
    return driver.code;
  }
  return undefined;
}
