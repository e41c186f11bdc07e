import { Injectable, Logger, MessageEvent, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { Observable, Subscriber } from 'rxjs';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { Principal } from '@app/http';
import { Clock } from '@app/platform';
import { PeriodicTask } from '@app/runtime';
import { PoliceMetrics } from '../police.metrics';
import { NO_FILTER, UnitFilter, alertMatches } from './alert-match';
import { DeliveryRecorder } from './delivery-recorder.service';
import { FeedRepository, FeedRow } from './feed.repository';
import { UnitFiltersService } from './unit-filters.service';

const PAGE = 500;
/** Fallback for a missed NOTIFY (the listening connection dropped, or another instance wrote). */
const POLL_MS = 1000;
/** Duty shifts begin and end with time: filters are reloaded this often. */
const FILTER_REFRESH_MS = 30_000;
/**
 * Rows dispatched between two turns of the event loop. The streams write (and Nest measures what waits for a
 * client that does not read) only between turns: without them, a page of rows would queue whole for a stalled
 * client before its limit is checked.
 */
const YIELD_EVERY = 8;

const yieldToWrites = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Connection {
  principal: Principal;
  filter: UnitFilter;
  /** The last seq this connection has been given (or skipped as not matching). */
  cursor: number;
  /** Caught up: the hub hands it new rows; before that it reads its gap from the database itself. */
  live: boolean;
  closed: boolean;
  subscriber: Subscriber<MessageEvent>;
}

export function feedMessage(row: FeedRow): MessageEvent {
  return {
    id: String(row.seq),
    type: `alert.${row.kind}`,
    data: { seq: row.seq, kind: row.kind, origin: row.origin, alert: row.state },
  };
}

/**
 * Live delivery: one reader of this region's feed dispatches each new row to every open stream whose unit it
 * matches. A stream that connects with Last-Event-ID first reads its gap from the database, then joins the live
 * dispatch exactly where the gap ends, so every row reaches it once, in seq order. Nest's @Sse() bounds what waits
 * for a client that does not read (maxPendingDataLength) and drops that connection; the client resumes with
 * Last-Event-ID.
 */
@Injectable()
export class AlertFeedHub implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AlertFeedHub.name);
  private readonly connections = new Set<Connection>();
  /** Highest seq dispatched to live connections. */
  private position = 0;
  private listener?: Client;
  /** Dispatches new rows, one pass at a time: woken by NOTIFY, and polls as a fallback. */
  private readonly reader = new PeriodicTask({
    name: 'reading the alert feed',
    intervalMs: POLL_MS,
    run: () => this.pump(),
    logger: this.logger,
  });
  private readonly filterRefresher = new PeriodicTask({
    name: 'reloading unit filters',
    intervalMs: FILTER_REFRESH_MS,
    run: () => this.reloadFilters(),
    logger: this.logger,
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly feed: FeedRepository,
    private readonly filters: UnitFiltersService,
    private readonly recorder: DeliveryRecorder,
    private readonly metrics: PoliceMetrics,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.position = await this.feed.lastSeq(this.dataSource.manager);
    this.reader.start();
    this.filterRefresher.start();
    await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.filterRefresher.stop();
    for (const connection of this.connections) connection.subscriber.complete();
    await this.reader.stop();
    await this.listener?.end().catch(() => undefined);
  }

  /** The stream of one unit, from after `lastEventId` (or from now). */
  open(principal: Principal, lastEventId?: number): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      const connection: Connection = {
        principal,
        filter: NO_FILTER,
        cursor: lastEventId ?? this.position,
        live: false,
        closed: false,
        subscriber,
      };
      this.connections.add(connection);
      this.metrics.streams.set(this.connections.size);
      this.catchUp(connection).catch((error: unknown) => subscriber.error(error));
      return () => {
        connection.closed = true;
        this.connections.delete(connection);
        this.metrics.streams.set(this.connections.size);
      };
    });
  }

  /** Subscriptions or duty changed: reload the filters of the unit's streams (all streams without a unit). */
  refreshFilters(unit?: string): void {
    this.reloadFilters(unit).catch((error: unknown) =>
      this.logger.warn(`reloading unit filters failed: ${(error as Error).message}`),
    );
  }

  private async reloadFilters(unit?: string): Promise<void> {
    const connections = [...this.connections].filter((c) => unit === undefined || c.principal.org === unit);
    if (connections.length === 0) return;
    const units = [...new Set(connections.map((c) => c.principal.org))];
    const filters = await this.filters.of(units, this.clock.now());
    for (const connection of connections) connection.filter = filters.get(connection.principal.org) ?? NO_FILTER;
  }

  private async pump(): Promise<void> {
    for (;;) {
      const rows = await this.feed.read(this.dataSource.manager, this.position, PAGE);
      for (const [i, row] of rows.entries()) {
        // Each row is dispatched and the position advanced in one synchronous step, so a stream that finds itself
        // caught up joins exactly between two rows.
        for (const connection of this.connections) {
          if (connection.live && connection.cursor < row.seq) this.offer(connection, row);
        }
        this.position = row.seq;
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToWrites();
      }
      if (rows.length < PAGE) return;
    }
  }

  private async catchUp(connection: Connection): Promise<void> {
    const filters = await this.filters.of([connection.principal.org], this.clock.now());
    connection.filter = filters.get(connection.principal.org) ?? NO_FILTER;
    while (!connection.closed) {
      const upTo = this.position;
      if (connection.cursor >= upTo) {
        connection.live = true;
        return;
      }
      const rows = await this.feed.read(this.dataSource.manager, connection.cursor, PAGE, upTo);
      for (const [i, row] of rows.entries()) {
        if (connection.closed) return;
        this.offer(connection, row);
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToWrites();
      }
      connection.cursor = rows.length === PAGE ? rows[rows.length - 1].seq : upTo;
    }
  }

  private offer(connection: Connection, row: FeedRow): void {
    connection.cursor = row.seq;
    if (!alertMatches(connection.filter, row)) return;
    connection.subscriber.next(feedMessage(row));
    this.metrics.delivered.inc({ channel: 'sse' });
    this.recorder.queue({
      principal: connection.principal,
      alertId: row.alertId,
      origin: row.origin,
      at: this.clock.now(),
    });
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl, application_name: 'police/feed-listener' });
    client.on('notification', () => this.reader.wake());
    client.on('error', (error) => {
      // The poll keeps delivering (within a second); a new listener is tried on the next start.
      this.logger.warn(`feed listener lost: ${error.message}`);
    });
    await client.connect();
    await this.feed.listen(client);
    this.listener = client;
  }
}
