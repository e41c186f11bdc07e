import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { IHeaders, Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { deadLetterTopic } from '@app/contracts';
import { BusMetrics } from '../bus.metrics';
import { IncomingMessage, RejectedEvent, stringHeaders } from '../inbox/event-verifier';

export interface DeadLetter {
  id: string;
  topic: string;
  partition: number;
  offset: string;
  eventId: string | null;
  type: string | null;
  origin: string | null;
  seq: string | null;
  signed: boolean;
  reasonCode: string;
  reason: string;
  key: string | null;
  headers: Record<string, string>;
  payload: string | null;
  deadAt: string;
  replayCount: number;
  lastReplayAt: string | null;
  resolvedAt: string | null;
}

/**
 * Sends an event that can never be applied to the region's dead-letter topic (the original key, value and headers,
 * plus the reason and where it came from) and keeps a copy here for listing and replay; the partition moves on.
 */
@Injectable()
export class DeadLetterService implements OnApplicationShutdown {
  private readonly logger = new Logger(DeadLetterService.name);
  private producer?: Producer;
  private readonly topic: string;

  constructor(
    private readonly config: AppConfig,
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly metrics: BusMetrics,
  ) {
    this.topic = deadLetterTopic(config.region);
  }

  async deadLetter(message: IncomingMessage, rejected: RejectedEvent): Promise<void> {
    const { error } = rejected;
    const original = stringHeaders(message.headers);
    const headers: IHeaders = {
      ...original,
      dlq_reason_code: error.code,
      dlq_reason: error.message.slice(0, 1000),
      dlq_topic: message.topic,
      dlq_partition: String(message.partition),
      dlq_offset: message.offset,
      dlq_consumer: `${this.config.region}.${this.config.service}`,
      dlq_time: new Date().toISOString(),
    };
    this.producer ??= this.kafka.producer({ allowAutoTopicCreation: true });
    await this.producer.connect();
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    await this.dataSource.query(
      `insert into bus_dead_letter (topic, partition, "offset", event_id, type, origin, seq, signed, reason_code, reason,
                                    key, headers, payload)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       on conflict (topic, partition, "offset") do update
         set reason_code = excluded.reason_code, reason = excluded.reason, resolved_at = null`,
      [
        message.topic,
        message.partition,
        message.offset,
        rejected.id ?? null,
        rejected.type ?? null,
        rejected.origin ?? null,
        rejected.seq && /^\d{1,19}$/.test(rejected.seq) ? rejected.seq : null,
        rejected.signed,
        error.code,
        error.message,
        message.key?.toString() ?? null,
        JSON.stringify(original),
        message.value?.toString() ?? null,
      ],
    );
    this.metrics.deadLetters.inc({ topic: message.topic, reason: error.code });
    this.metrics.consumed.inc({ topic: message.topic, origin: rejected.origin ?? 'unknown', outcome: 'dead_lettered' });
    this.logger.warn(
      { traceparent: original.ce_traceparent, eventId: rejected.id, origin: rejected.origin, reason: error.code },
      `dead-lettered ${message.topic}[${message.partition}]@${message.offset}: ${error.code} ${error.message}`,
    );
  }

  async list(options: { unresolvedOnly: boolean; limit: number }): Promise<DeadLetter[]> {
    const rows = await this.dataSource.query<DeadLetterRow[]>(
      `select * from bus_dead_letter ${options.unresolvedOnly ? 'where resolved_at is null' : ''}
        order by id desc limit $1`,
      [options.limit],
    );
    return rows.map(toDeadLetter);
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    const [row] = await this.dataSource.query<DeadLetterRow[]>('select * from bus_dead_letter where id = $1', [id]);
    return row && toDeadLetter(row);
  }

  async markReplayed(id: string, resolved: boolean, reason?: { code: string; message: string }): Promise<void> {
    await this.dataSource.query(
      `update bus_dead_letter set replay_count = replay_count + 1, last_replay_at = now(),
              resolved_at = case when $2 then now() else null end,
              reason_code = coalesce($3, reason_code), reason = coalesce($4, reason)
        where id = $1`,
      [id, resolved, reason?.code ?? null, reason?.message ?? null],
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
  }
}

interface DeadLetterRow {
  id: string;
  topic: string;
  partition: number;
  offset: string;
  event_id: string | null;
  type: string | null;
  origin: string | null;
  seq: string | null;
  signed: boolean;
  reason_code: string;
  reason: string;
  key: string | null;
  headers: Record<string, string>;
  payload: string | null;
  dead_at: Date;
  replay_count: number;
  last_replay_at: Date | null;
  resolved_at: Date | null;
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    topic: row.topic,
    partition: row.partition,
    offset: row.offset,
    eventId: row.event_id,
    type: row.type,
    origin: row.origin,
    seq: row.seq,
    signed: row.signed,
    reasonCode: row.reason_code,
    reason: row.reason,
    key: row.key,
    headers: row.headers,
    payload: row.payload,
    deadAt: row.dead_at.toISOString(),
    replayCount: row.replay_count,
    lastReplayAt: row.last_replay_at?.toISOString() ?? null,
    resolvedAt: row.resolved_at?.toISOString() ?? null,
  };
}
