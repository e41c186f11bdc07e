import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { PROBE_V1, ProbeV1 } from '@app/contracts';
import { DomainError } from '@app/http';
import { BusPublisher, OutgoingEvent } from '../outbox/bus-publisher.service';
import { ReplayService } from '../replay.service';

export interface ReceivedProbe {
  probeId: string;
  origin: string;
  stream: string;
  n: number;
  sentAt: string;
  appliedAt: string;
  latencyMs: number;
  /** n is one more than the probe of the same stream applied before it. */
  inOrder: boolean;
}

/** Delivery probes: an operator proves end to end that the peers receive, verify and commit what this node sends. */
@Injectable()
export class ProbeService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: BusPublisher,
    private readonly replay: ReplayService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.reset(manager));
  }

  /**
   * Publishes `count` probes on `stream`, numbered after the last one this node sent on it, to every peer or to
   * `target` alone. A stream is one numbering: use one stream per target.
   */
  async send(count: number, stream: string, note?: string, target?: string): Promise<string[]> {
    if (target !== undefined && (!this.config.registry.has(target) || target === this.config.region)) {
      throw new DomainError('BUS.UNKNOWN_TARGET', 'invalid', `target '${target}' is not a peer region`);
    }
    return this.dataSource.transaction(async (manager) => {
      // The counter row serialises senders of one stream, so that its numbers are gapless and in commit order.
      const [{ last }] = await manager.query<{ last: number }[]>(
        `insert into bus_probe_sent (stream, last) values ($1, $2)
           on conflict (stream) do update set last = bus_probe_sent.last + excluded.last returning last - $2 as last`,
        [stream, count],
      );
      const events: OutgoingEvent<typeof PROBE_V1>[] = Array.from({ length: count }, (_, i) => ({
        type: PROBE_V1,
        subject: `probe/${stream}`,
        data: { probeId: randomUUID(), stream, n: last + i + 1, ...(note && { note }) },
        options: { target },
      }));
      return this.publisher.publishMany(manager, events);
    });
  }

  /** Records probes from peers, in the inbox's transaction, in one statement. */
  async record(manager: EntityManager, probes: { origin: string; probe: ProbeV1; sentAt: string }[]): Promise<void> {
    await manager.query(
      `insert into bus_probe (probe_id, origin, stream, n, sent_at)
       select probe_id, origin, stream, n, sent_at
         from unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::timestamptz[])
              with ordinality as p(probe_id, origin, stream, n, sent_at, position)
        order by position`,
      [
        probes.map(({ probe }) => probe.probeId),
        probes.map(({ origin }) => origin),
        probes.map(({ probe }) => probe.stream),
        probes.map(({ probe }) => probe.n),
        probes.map(({ sentAt }) => sentAt),
      ],
    );
  }

  async received(options: { origin?: string; stream?: string; limit: number }): Promise<ReceivedProbe[]> {
    const rows = await this.dataSource.query<
      {
        probe_id: string;
        origin: string;
        stream: string;
        n: number;
        sent_at: Date;
        applied_at: Date;
        in_order: boolean;
      }[]
    >(
      `select probe_id, origin, stream, n, sent_at, applied_at,
              n = coalesce(lag(n) over (partition by origin, stream order by apply_order), 0) + 1 as in_order
         from bus_probe where ($1::text is null or origin = $1) and ($2::text is null or stream = $2)
        order by apply_order desc limit $3`,
      [options.origin ?? null, options.stream ?? null, options.limit],
    );
    return rows.map((row) => ({
      probeId: row.probe_id,
      origin: row.origin,
      stream: row.stream,
      n: row.n,
      sentAt: row.sent_at.toISOString(),
      appliedAt: row.applied_at.toISOString(),
      latencyMs: row.applied_at.getTime() - row.sent_at.getTime(),
      inOrder: row.in_order,
    }));
  }

  /** Forgets the probes received from peers (a replay rebuilds them from the peer topics). */
  async reset(manager: EntityManager): Promise<void> {
    await manager.query('delete from bus_probe');
  }
}
