import { Injectable, Logger } from '@nestjs/common';
import { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { DatabaseUnavailableError } from '@app/database';
import { backoffDelay, sleep } from '@app/runtime';
import { BusError, classifyFailure } from '../bus.errors';
import { BusBatchContext, BusContext } from '../bus.context';
import { BusMetrics } from '../bus.metrics';
import { DeadLetterService } from '../dead-letter/dead-letter.service';
import { RejectedEvent, VerifiedEvent } from './event-verifier';

export type HandlerLookup = (type: string) => MessageHandler | null;
export type Outcome = 'applied' | 'duplicate' | 'ignored' | 'dead_lettered';

export interface ApplyControl {
  /** Keeps the consumer's group membership alive during long waits. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping: give up and let the batch be redelivered. */
  isRunning(): boolean;
}

/** Failures of the handler itself (not of the database under it) before an event is dead-lettered. */
const MAX_HANDLER_ATTEMPTS = 5;
/** Retries of a failed handler and waits for the database: 50–100 ms at first, up to 5–10 s. */
const RETRY = { baseMs: 100, maxMs: 10_000 };

/**
 * The idempotent inbox: an event's id is recorded in the same transaction as its handler's writes, so a
 * redelivered event changes nothing. A batch is applied in one transaction; if anything in it fails, the batch
 * is applied again one event per transaction, so that a single bad event is retried or dead-lettered alone.
 * While the database gives no connection, nothing is counted against the events: the consumer waits, forever if
 * need be, heartbeating; only failures of the handlers count towards dead-lettering.
 */
@Injectable()
export class InboxService {
  private readonly logger = new Logger(InboxService.name);
  private readonly retentionMs: number;

  constructor(
    config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly deadLetters: DeadLetterService,
    private readonly metrics: BusMetrics,
  ) {
    this.retentionMs = config.kafkaRetentionMs;
  }

  /** Applies events of one partition, in order. */
  async apply(events: VerifiedEvent[], handlers: HandlerLookup, control: ApplyControl): Promise<void> {
    const current: VerifiedEvent[] = [];
    for (const event of events) {
      const stale = this.staleness(event);
      if (stale) await this.deadLetters.deadLetter(event.message, rejection(event, stale));
      else current.push(event);
    }
    if (current.length === 0) return;
    let outcomes: Outcome[] | undefined;
    for (let wait = 1; !outcomes; wait++) {
      try {
        outcomes = await this.transaction((manager) => this.applyAll(manager, current, handlers));
      } catch (error) {
        if (!control.isRunning()) throw error;
        if (classifyFailure(error) !== 'infrastructure') break;
        await this.waitOut(current[0], error, wait, control);
      }
    }
    if (!outcomes) {
      outcomes = [];
      for (const event of current) outcomes.push(await this.applyAlone(event, handlers, control));
    }
    this.record(current, outcomes);
  }

  /** Applies one stored message again (a dead letter's replay); throws the BusError that keeps it dead. */
  async applyOnce(event: VerifiedEvent, handlers: HandlerLookup): Promise<Outcome> {
    const stale = this.staleness(event);
    if (stale) throw stale;
    const [outcome] = await this.transaction((manager) => this.applyAll(manager, [event], handlers));
    this.record([event], [outcome]);
    return outcome;
  }

  /**
   * Invariant: an event signed longer ago than the topics' retention is refused, whichever copy brings it.
   * Kafka deletes by message timestamp (CreateTime: the relay's send, kept by MirrorMaker) a whole segment at a
   * time, so a message can outlive retention.ms, and a late re-send carries a new CreateTime; the signed event
   * time is the same in every copy. So once an inbox row's event time is past the retention (plus a margin for
   * clocks), no copy of its event can be applied again, and InboxCleanup may delete the row.
   */
  private staleness(event: VerifiedEvent): BusError | undefined {
    if (this.retentionMs < 0) return undefined;
    const age = Date.now() - Date.parse(event.event.time!);
    if (!(age > this.retentionMs)) return undefined;
    return new BusError(
      'BUS.STALE',
      `signed at ${event.event.time}, older than the topics' retention (${this.retentionMs} ms): it cannot be on a topic`,
    );
  }

  private async applyAll(manager: EntityManager, events: VerifiedEvent[], handlers: HandlerLookup) {
    const fresh = await this.recordReceipt(manager, events);
    // Taking an id out of `fresh` at its first copy makes any later copy in this batch a duplicate.
    const outcomes: Outcome[] = [];
    let i = 0;
    while (i < events.length) {
      const { type, id } = events[i].event;
      const isNew = fresh.delete(id);
      const handler = isNew ? handlers(type) : null;
      if (!handler) {
        outcomes.push(isNew ? 'ignored' : 'duplicate');
        i++;
        continue;
      }
      // A batch handler takes the run of new events of its type that starts here, in one call.
      let end = i + 1;
      if (handler.extras?.batch === true) {
        while (end < events.length && events[end].event.type === type && fresh.delete(events[end].event.id)) end++;
        await invokeBatch(handler, events.slice(i, end), manager);
      } else {
        await invoke(handler, events[i], manager);
      }
      for (; i < end; i++) outcomes.push('applied');
    }
    return outcomes;
  }

  private async applyAlone(event: VerifiedEvent, handlers: HandlerLookup, control: ApplyControl): Promise<Outcome> {
    let handlerFailures = 0;
    let waits = 0;
    for (;;) {
      try {
        const [outcome] = await this.transaction((manager) => this.applyAll(manager, [event], handlers));
        return outcome;
      } catch (error) {
        if (!control.isRunning()) throw error;
        let failure = classifyFailure(error);
        // An error without type or SQLSTATE while the database does not answer either: a dropped connection.
        if (failure === 'unknown' && !(await this.databaseAnswers())) failure = 'infrastructure';
        if (failure === 'infrastructure') {
          await this.waitOut(event, error, ++waits, control);
          continue;
        }
        handlerFailures++;
        if (failure === 'permanent' || handlerFailures >= MAX_HANDLER_ATTEMPTS) {
          const reason =
            error instanceof BusError
              ? error
              : new BusError(
                  failure === 'permanent' ? 'BUS.HANDLER_REJECTED' : 'BUS.HANDLER_FAILED',
                  `${(error as Error).message ?? String(error)}${failure === 'permanent' ? '' : ` (after ${handlerFailures} attempts)`}`,
                  false,
                  { cause: error },
                );
          await this.deadLetters.deadLetter(event.message, rejection(event, reason));
          return 'dead_lettered';
        }
        this.metrics.retries.inc({ topic: event.delivery.topic, class: failure });
        const delay = backoffDelay(handlerFailures, RETRY);
        this.logger.warn(
          { traceparent: event.event['traceparent'], eventId: event.event.id, origin: event.origin, failure },
          `${event.event.type} ${event.event.id} failed (${failure}, attempt ${handlerFailures}); retry in ${delay} ms`,
        );
        await sleepWithHeartbeat(delay, control);
      }
    }
  }

  /** The database gives no service: wait (capped, jittered back-off) without counting it against the events. */
  private async waitOut(event: VerifiedEvent, error: unknown, wait: number, control: ApplyControl): Promise<void> {
    this.metrics.retries.inc({ topic: event.delivery.topic, class: 'infrastructure' });
    const delay = backoffDelay(wait, RETRY);
    this.logger.warn(
      { eventId: event.event.id, origin: event.origin, failure: 'infrastructure', wait },
      `database unavailable (${(error as Error).message}); ${event.delivery.topic} waits ${delay} ms`,
    );
    await sleepWithHeartbeat(delay, control);
  }

  /**
   * A transaction whose start is told apart from its work: failing to obtain a connection or to begin happens
   * before any handler ran, so it is infrastructure whatever the error looks like.
   */
  private async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
    } catch (error) {
      await runner.release().catch(() => undefined);
      throw error instanceof DatabaseUnavailableError ? error : new DatabaseUnavailableError(error);
    }
    try {
      const result = await work(runner.manager);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release().catch(() => undefined);
    }
  }

  /** Inserts the inbox rows; returns the ids that were not there yet. */
  private async recordReceipt(manager: EntityManager, events: VerifiedEvent[]): Promise<Set<string>> {
    const rows = await manager.query<{ event_id: string }[]>(
      `insert into bus_inbox (event_id, type, origin, topic, partition, "offset", seq, event_time)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[], $7::bigint[],
                              $8::timestamptz[])
       on conflict (event_id) do nothing returning event_id`,
      [
        events.map((e) => e.event.id),
        events.map((e) => e.event.type),
        events.map((e) => e.origin),
        events.map((e) => e.delivery.topic),
        events.map((e) => e.delivery.partition),
        events.map((e) => e.delivery.offset),
        events.map((e) => e.seq),
        events.map((e) => e.event.time),
      ],
    );
    return new Set(rows.map((row) => row.event_id));
  }

  private record(events: VerifiedEvent[], outcomes: Outcome[]): void {
    const now = Date.now();
    events.forEach((event, i) => {
      const outcome = outcomes[i];
      const { topic } = event.delivery;
      if (outcome !== 'dead_lettered') this.metrics.consumed.inc({ topic, origin: event.origin, outcome });
      if (outcome === 'applied') {
        const time = Date.parse(event.event.time!);
        this.metrics.latency.observe({ origin: event.origin }, Math.max(0, now - time) / 1000);
        this.metrics.lastEventTime.set({ topic, origin: event.origin }, time / 1000);
      }
    });
  }

  private async databaseAnswers(): Promise<boolean> {
    try {
      await this.dataSource.query('select 1');
      return true;
    } catch {
      return false;
    }
  }
}

/** Calls a Nest message handler and waits for it to finish, observable or not, surfacing its error. */
export async function invoke(handler: MessageHandler, event: VerifiedEvent, manager?: EntityManager): Promise<void> {
  if (handler.extras?.batch === true) return invokeBatch(handler, [event], manager!);
  await settle(handler(event.payload, new BusContext([event.event, event.delivery, manager])));
}

async function invokeBatch(handler: MessageHandler, events: VerifiedEvent[], manager: EntityManager): Promise<void> {
  const context = new BusBatchContext([
    events.map(({ event, delivery, origin }) => ({ event, delivery, origin })),
    manager,
  ]);
  await settle(
    handler(
      events.map((event) => event.payload),
      context,
    ),
  );
}

async function settle(result: Promise<unknown>): Promise<void> {
  const value = await result;
  if (isObservable(value)) await lastValueFrom(value, { defaultValue: undefined });
}

/** A heartbeat that fails (a rebalance, the broker gone) ends the wait: the batch is redelivered to the owner. */
async function sleepWithHeartbeat(ms: number, control: ApplyControl): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && control.isRunning()) {
    await sleep(Math.min(1000, until - Date.now()));
    await control.heartbeat();
  }
}

function rejection(event: VerifiedEvent, error: BusError): RejectedEvent {
  return {
    error,
    signed: true,
    id: event.event.id,
    type: event.event.type,
    origin: event.origin,
    seq: event.seq ?? undefined,
  };
}
