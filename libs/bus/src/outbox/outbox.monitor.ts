import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';

export interface OutboxStatus {
  pending: number;
  oldestPendingAt: string | null;
  /** The latest failed send of an event still pending, as the relay recorded it on the event. */
  lastError: { topic: string; message: string; at: string | null } | null;
  /** Per topic, the last sequence number given: what the peers' completeness is measured against. */
  published: { topic: string; lastSeq: string }[];
}

/**
 * What operators and readiness probes see of the outbox: a relay that cannot send shows as an event that waits
 * too long (BUS_OUTBOX_MAX_AGE_MS), on /health (503, naming the outbox and the last error), in the metric
 * `bus_outbox_oldest_pending_seconds` and on `GET /bus/outbox`. Read from the database, so every instance sees
 * the relay of any instance.
 */
@Injectable()
export class OutboxMonitor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly indicator: HealthIndicatorService,
    registry: Registry,
  ) {
    const oldestPendingSeconds = () => this.oldestPending().then((oldest) => oldest?.ageSeconds ?? 0);
    new Gauge({
      name: 'bus_outbox_oldest_pending_seconds',
      help: 'How long the oldest event not yet sent has waited in the outbox (0: none waits)',
      registers: [registry],
      async collect() {
        // An unreachable database shows on /health; the gauge keeps its last value.
        this.set(await oldestPendingSeconds().catch(() => this.get().then((metric) => metric.values[0]?.value ?? 0)));
      },
    });
  }

  async check(key = 'outbox') {
    const session = this.indicator.check(key);
    let oldest: { ageSeconds: number } | undefined;
    try {
      oldest = await this.oldestPending();
    } catch (error) {
      return session.down({ message: `cannot read the outbox: ${(error as Error).message}` });
    }
    const maxAgeSeconds = this.config.outboxMaxAgeMs / 1000;
    if (!oldest || oldest.ageSeconds <= maxAgeSeconds) {
      return session.up({ oldestPendingSeconds: oldest?.ageSeconds ?? 0 });
    }
    const lastError = await this.lastError();
    return session.down({
      message:
        `the oldest pending event has waited ${Math.round(oldest.ageSeconds)} s (limit ${maxAgeSeconds} s)` +
        (lastError ? `; last relay error on ${lastError.topic}: ${lastError.message}` : ''),
      oldestPendingSeconds: oldest.ageSeconds,
    });
  }

  async status(): Promise<OutboxStatus> {
    const [[row], lastError, published] = await Promise.all([
      this.dataSource.query<{ pending: number; oldest: Date | null }[]>(
        `select count(*)::int as pending, min(created_at) as oldest from bus_outbox where sent_at is null`,
      ),
      this.lastError(),
      this.dataSource.query<{ topic: string; lastSeq: string }[]>(
        `select topic, last::text as "lastSeq" from bus_outbox_sequence order by topic`,
      ),
    ]);
    return { pending: row.pending, oldestPendingAt: row.oldest?.toISOString() ?? null, lastError, published };
  }

  private async oldestPending(): Promise<{ ageSeconds: number } | undefined> {
    const [row] = await this.dataSource.query<{ age: number }[]>(
      `select extract(epoch from now() - created_at)::float8 as age from bus_outbox where sent_at is null
        order by id limit 1`,
    );
    return row && { ageSeconds: Math.max(0, row.age) };
  }

  private async lastError(): Promise<OutboxStatus['lastError']> {
    const [row] = await this.dataSource.query<{ topic: string; last_error: string; last_attempt_at: Date | null }[]>(
      `select topic, last_error, last_attempt_at from bus_outbox where sent_at is null and last_error is not null
        order by last_attempt_at desc nulls last limit 1`,
    );
    return row ? { topic: row.topic, message: row.last_error, at: row.last_attempt_at?.toISOString() ?? null } : null;
  }
}
