import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AlertStateV1 } from '@app/contracts';

export interface StoredAlert {
  origin: string;
  state: AlertStateV1;
}

/** Alerts of every region as this region knows them, and the escalation deadlines of this region's own. */
@Injectable()
export class AlertRepository {
  /** Keeps the highest version: false when the stored alert is as new or newer (a late or repeated event). */
  async upsert(manager: EntityManager, origin: string, state: AlertStateV1): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `insert into police_alert (alert_id, origin, version, state, ends_at) values ($1, $2, $3, $4, $5)
       on conflict (alert_id) do update set version = excluded.version, state = excluded.state,
         ends_at = excluded.ends_at
         where police_alert.version < excluded.version and police_alert.origin = excluded.origin
       returning alert_id`,
      [state.alertId, origin, state.version, JSON.stringify(state), endsAt(state)],
    );
    return rows.length > 0;
  }

  async find(manager: EntityManager, alertId: string): Promise<StoredAlert | undefined> {
    const [row] = await manager.query<StoredAlert[]>('select origin, state from police_alert where alert_id = $1', [
      alertId,
    ]);
    return row;
  }

  /** Reads the alert and holds it until the transaction ends, so changes to one alert are applied one at a time. */
  async lock(manager: EntityManager, alertId: string): Promise<StoredAlert | undefined> {
    const [row] = await manager.query<StoredAlert[]>(
      'select origin, state from police_alert where alert_id = $1 for update',
      [alertId],
    );
    return row;
  }

  /** The replay reset: the alerts of the other regions. */
  async deletePeers(manager: EntityManager, region: string): Promise<void> {
    await manager.query('delete from police_alert where origin <> $1', [region]);
  }

  async setDeadline(manager: EntityManager, alertId: string, dueAt: Date): Promise<void> {
    await manager.query(
      `insert into police_escalation_deadline (alert_id, due_at) values ($1, $2)
       on conflict (alert_id) do update set due_at = excluded.due_at`,
      [alertId, dueAt],
    );
  }

  /** Moves a waiting deadline (a changed severity); none is created for an alert no longer waiting. */
  async moveDeadline(manager: EntityManager, alertId: string, dueAt: Date): Promise<void> {
    await manager.query('update police_escalation_deadline set due_at = $2 where alert_id = $1', [alertId, dueAt]);
  }

  async clearDeadline(manager: EntityManager, alertId: string): Promise<void> {
    await manager.query('delete from police_escalation_deadline where alert_id = $1', [alertId]);
  }

  async dueDeadlines(manager: EntityManager, now: Date, limit: number): Promise<string[]> {
    const rows = await manager.query<{ alert_id: string }[]>(
      'select alert_id from police_escalation_deadline where due_at <= $1 order by due_at limit $2',
      [now, limit],
    );
    return rows.map((row) => row.alert_id);
  }

  /**
   * Takes a due deadline in the caller's transaction, which must hold the alert's lock (every writer locks the
   * alert before its deadline, so they never deadlock): true for exactly one taker.
   */
  async takeDueDeadline(manager: EntityManager, alertId: string, now: Date): Promise<boolean> {
    // TypeORM answers a delete with [rows, affected]: the pair itself is never empty.
    const [, deleted] = await manager.query<[unknown[], number]>(
      'delete from police_escalation_deadline where alert_id = $1 and due_at <= $2',
      [alertId, now],
    );
    return deleted > 0;
  }
}

/** When the alert stops being live (its retention counts from then): when it ended, or else when it expires. */
export function endsAt(state: AlertStateV1): Date {
  const updatedAt = new Date(state.updatedAt);
  if (state.status !== 'ACTIVE') return updatedAt;
  const expiresAt = new Date(state.expiresAt);
  return expiresAt > updatedAt ? expiresAt : updatedAt;
}
