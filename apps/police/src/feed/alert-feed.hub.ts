import { Injectable, Logger, MessageEvent, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { Observable, Subscriber } from 'rxjs';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { Principal } from '@app/http';
import { Clock } from '@app/platform';
import { PeriodicTask, backoffDelay, sleep } from '@app/runtime';
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
 * Events sent between two turns of the event loop. The streams write (and Nest measures what waits for a client
 * that does not read) only between turns: without them, a page of rows would queue whole for a stalled client
 * before its limit is checked.
 */
const YIELD_EVERY = 8;
/** Waits after a page that could not be read or recorded (the database is down) before it is tried again. */
const RETRY = { baseMs: 250, maxMs: 10_000 };

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

/** A row of a page and the streams it goes to. */
interface Dispatch {
  row: FeedRow;
  to: Connection[];
}

export function feedMessage(row: FeedRow): MessageEvent {
  return {
    id: String(row.seq),
    type: `alert.${row.kind}`,
    data: { seq: row.seq, kind: row.kind, origin: row.origin, alert: row.state },
  };
}

/**
 * Live delivery: one reader of this region's feed reads it a page at a time and sends each row to every open
 * stream whose unit it matches. A stream that connects with Last-Event-ID first reads its gap from the database,
 * page by page, then joins the live dispatch between two pages, exactly where its gap ends, so every row reaches it
 * once, in seq order. Either way a page's deliveries are recorded (receipts, `alert.received` events, audit) in one
 * transaction that commits before the first of them is written to a stream; when it fails, nothing is sent and the
 * page is read again later, so a database outage stops deliveries and holds nothing in memory. Nest's @Sse()
 * bounds what waits for a client that does not read (maxPendingDataLength) and drops that connection; the client
 * resumes with Last-Event-ID.
 */
@Injectable()
export class AlertFeedHub implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AlertFeedHub.name);
  private readonly connections = new Set<Connection>();
  /** Highest seq dispatched to live connections. */
  private position = 0;
  /** Settles when the live page being recorded and sent is done: streams join the live dispatch between pages. */
  private page?: Promise<void>;
  /** Passes that failed in a row, and when the next may try again. */
  private failures = 0;
  private retryAt = 0;
  private listener?: Client;
  private stopping = false;
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
    this.stopping = true;
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
    // Backing off after a failure: the timer and NOTIFY keep waking the reader, which waits its turn.
    if (Date.now() < this.retryAt) return;
    try {
      if (!this.listener) {
        await this.listen().catch((error: unknown) =>
          this.logger.warn(`listening to the feed failed: ${(error as Error).message}`),
        );
      }
      for (;;) {
        const rows = await this.feed.read(this.dataSource.manager, this.position, PAGE);
        if (rows.length > 0) await this.dispatchPage(rows);
        if (rows.length < PAGE) break;
      }
      this.failures = 0;
    } catch (error) {
      this.retryAt = Date.now() + backoffDelay(++this.failures, RETRY);
      throw error;
    }
  }

  /** Records the page's deliveries to the live streams, then sends them and advances the position. */
  private async dispatchPage(rows: FeedRow[]): Promise<void> {
    let done!: () => void;
    this.page = new Promise<void>((resolve) => (done = resolve));
    try {
      const live = [...this.connections].filter((c) => c.live);
      const dispatches = rows.map((row) => ({
        row,
        to: live.filter((c) => c.cursor < row.seq && alertMatches(c.filter, row)),
      }));
      await this.record(dispatches);
      await this.send(dispatches);
      const last = rows[rows.length - 1].seq;
      for (const connection of live) connection.cursor = Math.max(connection.cursor, last);
      this.position = last;
    } finally {
      this.page = undefined;
      done();
    }
  }

  private async catchUp(connection: Connection): Promise<void> {
    let failures = 0;
    let filtered = false;
    while (!connection.closed) {
      try {
        if (!filtered) filtered = await this.loadFilter(connection);
        if (this.page) {
          await this.page;
          continue;
        }
        const upTo = this.position;
        if (connection.cursor >= upTo) {
          connection.live = true;
          return;
        }
        const rows = await this.feed.read(this.dataSource.manager, connection.cursor, PAGE, upTo);
        const dispatches = rows
          .filter((row) => alertMatches(connection.filter, row))
          .map((row) => ({ row, to: [connection] }));
        await this.record(dispatches);
        failures = 0;
        await this.send(dispatches);
        connection.cursor = rows.length === PAGE ? rows[rows.length - 1].seq : upTo;
      } catch (error) {
        // Nothing of the failed page was sent: it is read and recorded again.
        const delay = backoffDelay(++failures, RETRY);
        this.logger.warn(
          `catching up ${connection.principal.org} failed (${(error as Error).message}); next in ${delay} ms`,
        );
        await sleep(delay);
      }
    }
  }

  private async loadFilter(connection: Connection): Promise<true> {
    const filters = await this.filters.of([connection.principal.org], this.clock.now());
    connection.filter = filters.get(connection.principal.org) ?? NO_FILTER;
    return true;
  }

  /** The dispatches' deliveries in one transaction: once it commits, they may be sent. */
  private async record(dispatches: Dispatch[]): Promise<void> {
    const at = this.clock.now();
    const deliveries = dispatches.flatMap(({ row, to }) =>
      to.map((connection) => ({
        principal: connection.principal,
        alertId: row.alertId,
        origin: row.origin,
        persons: row.state.personPseudonyms,
        at,
      })),
    );
    if (deliveries.length === 0) return;
    await this.dataSource.transaction((manager) => this.recorder.record(manager, deliveries, 'sse'));
  }

  private async send(dispatches: Dispatch[]): Promise<void> {
    let sent = 0;
    for (const { row, to } of dispatches) {
      const message = feedMessage(row);
      for (const connection of to) {
        // A stream closed since its delivery was recorded: the record stands, as for a client that lost the event.
        if (connection.closed) continue;
        connection.subscriber.next(message);
        this.metrics.delivered.inc({ channel: 'sse' });
        if (++sent % YIELD_EVERY === 0) await yieldToWrites();
      }
    }
  }

  /** LISTENs on a connection of its own; once it is lost, the next pass of the reader listens again. */
  private async listen(): Promise<void> {
    if (this.stopping) return;
    const client = new Client({ connectionString: this.config.databaseUrl, application_name: 'police/feed-listener' });
    const lost = (error?: Error) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      // The poll keeps delivering (within a second) until the reader listens again.
      if (!this.stopping) this.logger.warn(`feed listener lost${error ? `: ${error.message}` : ''}`);
      client.end().catch(() => undefined);
    };
    client.on('notification', () => this.reader.wake());
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await this.feed.listen(client);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.listener = client;
  }
}
