import { Injectable, Logger } from '@nestjs/common';
import { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import { BusError, classifyFailure } from '../bus.errors';
import { BusBatchContext, BusContext } from '../bus.context';
import { BusMetrics } from '../bus.metrics';
import { DeadLetterService } from '../dead-letter/dead-letter.service';
import { VerifiedEvent } from './event-verifier';

export type HandlerLookup = (type: string) => MessageHandler | null;
export type Outcome = 'applied' | 'duplicate' | 'ignored' | 'dead_lettered';

export interface ApplyControl {
  /** Keeps the consumer's group membership alive during long waits. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping: give up and let the batch be redelivered. */
  isRunning(): boolean;
}

const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 10_000;

/**
 * The idempotent inbox: an event's id is recorded in the same transaction as its handler's writes, so a
 * redelivered event changes nothing. A batch is applied in one transaction; if anything in it fails, the batch
 * is applied again one event per transaction, so that a single bad event is retried or dead-lettered alone.
 */
@Injectable()
export class InboxService {
  private readonly logger = new Logger(InboxService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly deadLetters: DeadLetterService,
    private readonly metrics: BusMetrics,
  ) {}

  /** Applies events of one partition, in order. */
  async apply(events: VerifiedEvent[], handlers: HandlerLookup, control: ApplyControl): Promise<void> {
    if (events.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = await this.dataSource.transaction((manager) => this.applyAll(manager, events, handlers));
    } catch {
      outcomes = [];
      for (const event of events) outcomes.push(await this.applyAlone(event, handlers, control));
    }
    this.record(events, outcomes);
  }

  /** Applies one stored message again (a dead letter's replay); throws the BusError that keeps it dead. */
  async applyOnce(event: VerifiedEvent, handlers: HandlerLookup): Promise<Outcome> {
    const [outcome] = await this.dataSource.transaction((manager) => this.applyAll(manager, [event], handlers));
    this.record([event], [outcome]);
    return outcome;
  }

  private async applyAll(manager: EntityManager, events: VerifiedEvent[], handlers: HandlerLookup) {
    const fresh = await this.recordReceipt(manager, events);
    const outcomes: Outcome[] = [];
    let i = 0;
    while (i < events.length) {
      const { type, id } = events[i].event;
      const handler = fresh.has(id) ? handlers(type) : null;
      if (!handler) {
        outcomes.push(fresh.has(id) ? 'ignored' : 'duplicate');
        i++;
        continue;
      }
      // A batch handler takes the run of new events of its type that starts here, in one call.
      let end = i + 1;
      if (handler.extras?.batch === true) {
        while (end < events.length && events[end].event.type === type && fresh.has(events[end].event.id)) end++;
        await invokeBatch(handler, events.slice(i, end), manager);
      } else {
        await invoke(handler, events[i], manager);
      }
      for (; i < end; i++) outcomes.push('applied');
    }
    return outcomes;
  }

  private async applyAlone(event: VerifiedEvent, handlers: HandlerLookup, control: ApplyControl): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        const [outcome] = await this.dataSource.transaction((manager) => this.applyAll(manager, [event], handlers));
        return outcome;
      } catch (error) {
        if (!control.isRunning()) throw error;
        let failure = classifyFailure(error);
        if (failure !== 'permanent' && failure !== 'infrastructure' && !(await this.databaseAnswers())) {
          failure = 'infrastructure';
        }
        const { topic } = event.delivery;
        if (failure === 'permanent' || (failure !== 'infrastructure' && attempt >= MAX_ATTEMPTS)) {
          const reason =
            error instanceof BusError
              ? error
              : new BusError(
                  failure === 'permanent' ? 'BUS.HANDLER_REJECTED' : 'BUS.HANDLER_FAILED',
                  `${(error as Error).message ?? String(error)}${failure === 'permanent' ? '' : ` (after ${attempt} attempts)`}`,
                  false,
                  { cause: error },
                );
          await this.deadLetters.deadLetter(event.message, {
            error: reason,
            signed: true,
            id: event.event.id,
            type: event.event.type,
            origin: event.origin,
            seq: event.seq ?? undefined,
          });
          return 'dead_lettered';
        }
        this.metrics.retries.inc({ topic, class: failure });
        const delay = Math.min(BASE_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS);
        this.logger.warn(
          { traceparent: event.event['traceparent'], eventId: event.event.id, origin: event.origin, failure, attempt },
          `${event.event.type} ${event.event.id} failed (${failure}, attempt ${attempt}); retry in ${delay} ms`,
        );
        await sleepWithHeartbeat(delay, control);
      }
    }
  }

  /** Inserts the inbox rows; returns the ids that were not there yet. */
  private async recordReceipt(manager: EntityManager, events: VerifiedEvent[]): Promise<Set<string>> {
    const rows = await manager.query<{ event_id: string }[]>(
      `insert into bus_inbox (event_id, type, origin, topic, partition, "offset", seq, event_time)
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[], $7::bigint[],
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

async function sleepWithHeartbeat(ms: number, control: ApplyControl): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && control.isRunning()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, until - Date.now())));
    await control.heartbeat().catch(() => undefined);
  }
}
