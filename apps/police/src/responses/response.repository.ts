import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AlertResponseStatus } from '@app/contracts';

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

/** A delivery to one of this region's units: the first one per unit and alert is its receipt. */
export interface DeliveredAlert {
  alertId: string;
  unit: string;
  at: Date;
}

/** A receipt recorded by `addFirstReceipts`. */
export interface FirstReceipt {
  alertId: string;
  unit: string;
  receivedAt: string;
}

/** Who received each alert (police_receipt) and what they answered (police_response), in every region. */
@Injectable()
export class ResponseRepository {
  async receipts(manager: EntityManager, alertId: string): Promise<AlertReceipt[]> {
    const rows = await manager.query<{ region: string; unit: string; received_at: Date }[]>(
      'select region, unit, received_at from police_receipt where alert_id = $1 order by received_at, region, unit',
      [alertId],
    );
    return rows.map((row) => ({ region: row.region, unit: row.unit, receivedAt: row.received_at.toISOString() }));
  }

  async responses(manager: EntityManager, alertId: string): Promise<AlertResponse[]> {
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

  /** Records the earliest of these deliveries per alert and unit, unless one was recorded before: the new ones. */
  async addFirstReceipts(
    manager: EntityManager,
    region: string,
    deliveries: DeliveredAlert[],
  ): Promise<FirstReceipt[]> {
    const rows = await manager.query<{ alert_id: string; unit: string; received_at: Date }[]>(
      `insert into police_receipt (alert_id, region, unit, received_at)
       select distinct on (alert_id, unit) alert_id, $1, unit, at
         from unnest($2::uuid[], $3::text[], $4::timestamptz[]) as d(alert_id, unit, at)
        order by alert_id, unit, at
       on conflict do nothing returning alert_id, unit, received_at`,
      [region, deliveries.map((d) => d.alertId), deliveries.map((d) => d.unit), deliveries.map((d) => d.at)],
    );
    return rows.map((row) => ({ alertId: row.alert_id, unit: row.unit, receivedAt: row.received_at.toISOString() }));
  }

  async hasReceipt(manager: EntityManager, alertId: string, region: string, unit: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      'select 1 from police_receipt where alert_id = $1 and region = $2 and unit = $3',
      [alertId, region, unit],
    );
    return rows.length > 0;
  }

  /** The replay reset: what the other regions' units received and answered. */
  async deletePeers(manager: EntityManager, region: string): Promise<void> {
    await manager.query('delete from police_response where region <> $1', [region]);
    await manager.query('delete from police_receipt where region <> $1', [region]);
  }
}
