import pg from 'pg';

/**
 * The database did not give a connection: the pool's wait timed out, or the server refused or dropped it
 * (ECONNREFUSED, 53300 too many clients, 57P03 starting up, …). Raised where the connection is obtained, so it is
 * known to have happened before any statement ran: callers wait and retry, and HTTP answers 503.
 */
export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE.UNAVAILABLE';
  /** A dependency is down, not the request or the event: the flag the bus and the HTTP edge act on. */
  readonly infrastructure = true;

  constructor(cause: unknown) {
    super(`the database gave no connection: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/** SQLSTATE classes of a server that is unreachable, out of resources or shutting down. */
const UNAVAILABLE_SQLSTATE_PREFIXES = ['08', '53', '57P'];
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** True when `error` (or what caused it) says the database, not the statement, failed: by flag, SQLSTATE or errno. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  if ('infrastructure' in error && error.infrastructure === true) return true;
  const code = sqlState(error);
  if (code && (UNAVAILABLE_ERRNOS.has(code) || UNAVAILABLE_SQLSTATE_PREFIXES.some((p) => code.startsWith(p)))) {
    return true;
  }
  return 'cause' in error && isDatabaseUnavailable(error.cause, depth + 1);
}

/** The SQLSTATE (or errno) of a pg error, whether raw or wrapped by TypeORM (`driverError`). */
export function sqlState(error: object): string | undefined {
  const driver = 'driverError' in error ? error.driverError : error;
  if (typeof driver === 'object' && driver !== null && 'code' in driver && typeof driver.code === 'string') {
    return driver.code;
  }
  return undefined;
}

type ConnectCallback = (error: Error | undefined, client: pg.PoolClient | undefined, done: () => void) => void;

/** pg's pool, whose every failure to hand out a connection is a DatabaseUnavailableError. */
class GuardedPool extends pg.Pool {
  // pg-pool's query() goes through connect(), so this covers every way TypeORM and our code reach the server.
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> {
    if (callback) {
      const guarded: ConnectCallback = (error, client, done) =>
        callback(error && new DatabaseUnavailableError(error), client, done);
      return (super.connect as (cb: ConnectCallback) => Promise<pg.PoolClient>)(guarded);
    }
    return super.connect().catch((error: unknown) => {
      throw new DatabaseUnavailableError(error);
    });
  }
}

/** The `pg` module as TypeORM's `driver` option, with the guarded pool. */
export const guardedPg: typeof pg = Object.assign(Object.create(pg) as typeof pg, { Pool: GuardedPool });
