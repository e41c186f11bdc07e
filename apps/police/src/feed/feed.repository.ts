import { Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { EntityManager } from 'typeorm';
import { AlertStateV1 } from '@app/contracts';

export const FEED_KINDS = ['raised', 'updated', 'closed', 'cancelled', 'escalated'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export interface FeedRow {
  seq: number;
  alertId: string;
  origin: string;
  kind: FeedKind;
  area: string;
  severity: string;
  zone: string;
  widened: boolean;
  state: AlertStateV1;
}

interface FeedRecord {
  seq: string;
  alert_id: string;
  origin: string;
  kind: FeedKind;
  area: string;
  severity: string;
  zone: string;
  widened: boolean;
  state: AlertStateV1;
}

/** Notified with the new seq when an append commits. */
const FEED_CHANNEL = 'police_feed';

const FEED_COLUMNS = 'seq, alert_id, origin, kind, area, severity, zone, widened, state';

/** This region's delivery feed (police_feed): every change of every region's alerts its units may receive. */
@Injectable()
export class FeedRepository {
  /** This version of the alert (or a later one) is in the feed already. */
  async delivered(manager: EntityManager, state: AlertStateV1): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `select 1 from police_feed where alert_id = $1 and (state->>'version')::int >= $2 limit 1`,
      [state.alertId, state.version],
    );
    return rows.length > 0;
  }

  /** Appends in the caller's transaction; the NOTIFY reaches the listeners when it commits. */
  async append(manager: EntityManager, kind: FeedKind, origin: string, state: AlertStateV1): Promise<number> {
    const [{ seq }] = await manager.query<{ seq: string }[]>(
      `with next as (update police_feed_counter set last = last + 1 where id = 1 returning last)
       insert into police_feed (seq, alert_id, origin, kind, area, severity, zone, widened, state)
       select last, $1, $2, $3, $4, $5, $6, $7, $8 from next returning seq`,
      [
        state.alertId,
        origin,
        kind,
        state.area,
        state.severity,
        state.location.zone,
        state.escalation?.widened ?? false,
        JSON.stringify(state),
      ],
    );
    await manager.query('select pg_notify($1, $2)', [FEED_CHANNEL, seq]);
    return Number(seq);
  }

  /** Subscribes a dedicated connection (LISTEN holds it) to the appends' notifications. */
  async listen(client: Client): Promise<void> {
    await client.query(`listen ${FEED_CHANNEL}`);
  }

  async lastSeq(manager: EntityManager): Promise<number> {
    const [{ last }] = await manager.query<{ last: string }[]>('select last from police_feed_counter where id = 1');
    return Number(last);
  }

  /** Rows after `after`, up to `upTo` when given, in order. */
  async read(manager: EntityManager, after: number, limit: number, upTo?: number): Promise<FeedRow[]> {
    const rows = await manager.query<FeedRecord[]>(
      `select ${FEED_COLUMNS} from police_feed where seq > $1 and ($2::bigint is null or seq <= $2)
        order by seq limit $3`,
      [after, upTo ?? null, limit],
    );
    return rows.map((row) => ({
      seq: Number(row.seq),
      alertId: row.alert_id,
      origin: row.origin,
      kind: row.kind,
      area: row.area,
      severity: row.severity,
      zone: row.zone,
      widened: row.widened,
      state: row.state,
    }));
  }
}
