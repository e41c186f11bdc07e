import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { advisoryXactLock } from '@app/database';
import { PeriodicTask } from '@app/runtime';

const CLEANUP_INTERVAL_MS = 60 * 60 * 1000;
/** Beyond the retention, for the clocks of the instances that check staleness and of the one that prunes. */
const CLOCK_MARGIN_MS = 24 * 60 * 60 * 1000;
/** Sequence numbers examined per statement, so that a long stream is pruned in bounded steps. */
const WINDOW = 10_000;

/**
 * Deletes inbox rows once their events can no longer be applied: an event signed longer ago than the topics'
 * retention is refused as stale (InboxService), so its row has nothing left to guard. Per stream, only the run of
 * sequence numbers contiguous from the last pruned one is deleted, and its end is kept (bus_inbox_floor), so
 * completeness is still reported without a false gap; rows above a gap stay until the gap is filled.
 */
@Injectable()
export class InboxCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboxCleanup.name);
  private readonly retentionMs: number;
  private readonly task: PeriodicTask;

  constructor(
    config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.retentionMs = config.kafkaRetentionMs;
    this.task = new PeriodicTask({
      name: 'inbox cleanup',
      intervalMs: CLEANUP_INTERVAL_MS,
      logger: this.logger,
      run: async () => {
        const deleted = await this.prune();
        if (deleted > 0) this.logger.log(`deleted ${deleted} expired inbox rows`);
      },
    });
  }

  onApplicationBootstrap(): void {
    if (this.retentionMs >= 0) this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Deletes the rows whose events are past the retention as seen at `now`; returns how many. */
  async prune(now = Date.now()): Promise<number> {
    if (this.retentionMs < 0) return 0;
    const horizon = new Date(now - this.retentionMs - CLOCK_MARGIN_MS);
    const streams = await this.dataSource.query<{ origin: string; topic: string }[]>(
      'select distinct origin, topic from bus_inbox where event_time < $1 and seq is not null',
      [horizon],
    );
    let deleted = 0;
    for (const { origin, topic } of streams) {
      for (;;) {
        const step = await this.pruneStep(origin, topic, horizon);
        deleted += step;
        if (step === 0) break;
      }
    }
    return deleted;
  }

  private pruneStep(origin: string, topic: string, horizon: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await advisoryXactLock(manager, `bus-inbox:${origin}:${topic}`);
      const [{ floor, upto }] = await manager.query<{ floor: string; upto: string }[]>(
        `with f as (select coalesce((select seq from bus_inbox_floor where origin = $1 and topic = $2), 0) as floor),
         seen as (
           select seq, event_time from bus_inbox, f
            where origin = $1 and topic = $2 and seq > f.floor and seq <= f.floor + $4
           union all
           select seq, null::timestamptz from bus_dead_letter, f
            where signed and origin = $1 and topic = $2 and seq > f.floor and seq <= f.floor + $4
         ),
         run as (
           select seq, event_time from (select seq, event_time, seq - dense_rank() over (order by seq) as drift
                                          from seen) ranked, f
            where drift = f.floor
         )
         select f.floor::text,
                coalesce((select min(seq) - 1 from run where event_time >= $3), (select max(seq) from run),
                         f.floor)::text as upto
           from f`,
        [origin, topic, horizon, WINDOW],
      );
      if (BigInt(upto) <= BigInt(floor)) return 0;
      const [, count] = await manager.query<[unknown, number]>(
        'delete from bus_inbox where origin = $1 and topic = $2 and seq > $3 and seq <= $4',
        [origin, topic, floor, upto],
      );
      await manager.query(
        `insert into bus_inbox_floor (origin, topic, seq, pruned) values ($1, $2, $3, $3::bigint - $4::bigint)
           on conflict (origin, topic) do update
             set seq = excluded.seq, pruned = bus_inbox_floor.pruned + excluded.pruned`,
        [origin, topic, upto, floor],
      );
      return count;
    });
  }
}
