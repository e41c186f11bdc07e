import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AlertResponseStatus, AlertStateV1 } from '@app/contracts';

export interface StoredAlert {
  origin: string;
  state: AlertStateV1;
}

export interface AlertReceipt {
  region: string;
  unit: string;
  receivedAt: string;
}

export interface AlertResponse {
  region: string;
  unit: string;
  status: AlertResponseStatus;
  reason?: string;
  at: string;
}

/** Alerts of every region as this region knows them, who received them and what they answered. */
@Injectable()
export class AlertRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Keeps the highest version: false when the stored alert is as new or newer (a late or repeated event). */
  async upsert(manager: EntityManager, origin: string, state: AlertStateV1): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `insert into police_alert (alert_id, origin, version, state) values ($1, $2, $3, $4)
       on conflict (alert_id) do update set version = excluded.version, state = excluded.state
         where police_alert.version < excluded.version and police_alert.origin = excluded.origin
       returning alert_id`,
      [state.alertId, origin, state.version, JSON.stringify(state)],
    );
    return rows.length > 0;
  }

  async find(alertId: string, manager: EntityManager | DataSource = this.dataSource): Promise<StoredAlert | undefined> {
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

  async receipts(alertId: string, manager: EntityManager | DataSource = this.dataSource): Promise<AlertReceipt[]> {
    const rows = await manager.query<{ region: string; unit: string; received_at: Date }[]>(
      'select region, unit, received_at from police_receipt where alert_id = $1 order by received_at, region, unit',
      [alertId],
    );
    return rows.map((row) => ({ region: row.region, unit: row.unit, receivedAt: row.received_at.toISOString() }));
  }

  async responses(alertId: string, manager: EntityManager | DataSource = this.dataSource): Promise<AlertResponse[]> {
    const rows = await manager.query<
      { region: string; unit: string; status: AlertResponseStatus; reason: string | null; at: Date }[]
    >('select region, unit, status, reason, at from police_response where alert_id = $1 order by at, region, unit', [
      alertId,
    ]);
    return rows.map((row) => ({
      region: row.region,
      unit: row.unit,
      status: row.status,
      ...(row.reason !== null && { reason: row.reason }),
      at: row.at.toISOString(),
    }));
  }

  /** Records an answer; false when the same unit had already given it. */
  async addResponse(manager: EntityManager, alertId: string, response: AlertResponse): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `insert into police_response (alert_id, region, unit, status, reason, at) values ($1, $2, $3, $4, $5, $6)
       on conflict do nothing returning alert_id`,
      [alertId, response.region, response.unit, response.status, response.reason ?? null, response.at],
    );
    return rows.length > 0;
  }

  async addReceipts(manager: EntityManager, alertId: string, region: string, receipts: AlertReceipt[]): Promise<void> {
    await manager.query(
      `insert into police_receipt (alert_id, region, unit, received_at)
       select $1, $2, unit, at from unnest($3::text[], $4::timestamptz[]) as r(unit, at) on conflict do nothing`,
      [alertId, region, receipts.map((r) => r.unit), receipts.map((r) => r.receivedAt)],
    );
  }

  async hasReceipt(manager: EntityManager, alertId: string, region: string, unit: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      'select 1 from police_receipt where alert_id = $1 and region = $2 and unit = $3',
      [alertId, region, unit],
    );
    return rows.length > 0;
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

  async dueDeadlines(now: Date, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ alert_id: string }[]>(
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
    const rows = await manager.query<unknown[]>(
      'delete from police_escalation_deadline where alert_id = $1 and due_at <= $2 returning alert_id',
      [alertId, now],
    );
    return rows.length > 0;
  }
}
