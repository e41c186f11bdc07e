import { EntityManager } from 'typeorm';

/**
 * Takes the transaction-scoped advisory lock named `key` (e.g. `health:<patient>`), waiting for it: writers of one
 * key serialise, writers of others do not. The lock is released when the transaction ends. The only advisory lock
 * form of the code base (64-bit hash, so distinct keys rarely share a lock).
 */
export async function advisoryXactLock(manager: EntityManager, key: string): Promise<void> {
  await manager.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}
