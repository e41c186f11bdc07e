import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Kafka, Message, Producer } from 'kafkajs';
import { DataSource, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent } from 'typeorm';
import { AppConfig } from '@app/config';
import { backoffDelay } from '@app/runtime';
import { EventSigner } from '../trust';
import { BusMetrics } from '../bus.metrics';
import { signedFields } from '../envelope';
import { OUTBOX_WRITTEN } from './bus-publisher.service';
import { isProducerBroken, isTopicScoped, kafkaErrorType } from './producer-errors';
import { recordBytes, splitBySize } from './record-size';

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  headers: Record<string, string>;
  payload: string;
  seq: string | null;
  signature: string | null;
}

type NumberedRow = OutboxRow & { seq: string; signature: string };

/** One relay at a time per database numbers, sends and marks: that keeps each topic's sequence and each key's order. */
const RELAY_LOCK = 0x5d1a_0b05;
const BATCH_SIZE = 1000;
const POLL_MS = 1000;
const SENT_RETENTION = '24 hours';
/** A failed relay pass: 200–400 ms at first, up to 5–10 s. */
const PASS_RETRY = { baseMs: 400, maxMs: 10_000 };
/** A topic whose sends fail is held back: 200–400 ms at first, up to 15–30 s. */
const TOPIC_RETRY = { baseMs: 400, maxMs: 30_000 };
const LAST_ERROR_CHARS = 1000;

/**
 * Sends outbox rows to Kafka in order with an idempotent producer (acks=all, one request in flight). A pass, under a
 * session advisory lock held from the claim to the last mark:
 * 1. numbers and signs the rows that have no sequence number yet and commits that, so a re-send carries
 *    byte-identical messages and a number is never given to two events;
 * 2. sends each topic's rows in sequence order, in requests bounded by KAFKA_MAX_MESSAGE_BYTES;
 * 3. marks each request's rows sent (by id) once the broker has them. A crash before the mark means they are sent
 *    again, identical (the peers' inbox drops the copies), never that a row is lost or overtaken.
 * A topic the broker refuses is held back with its own back-off (its error kept on its rows) while the others go
 * on; a producer whose sequence state no longer matches the broker's is replaced.
 */
@Injectable()
export class OutboxRelay
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown, EntitySubscriberInterface
{
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly signer: EventSigner;
  private readonly maxRequestBytes: number;
  private producer?: Producer;
  private running = false;
  private wakeUp?: () => void;
  private pending = false;
  private loop?: Promise<void>;
  private lastCleanup = 0;
  /** Passes of this process run one after the other (the loop's and `drain`'s). */
  private passes: Promise<unknown> = Promise.resolve();
  /** Topics held back after the broker refused them: until when, after how many failures in a row. */
  private readonly heldBack = new Map<string, { until: number; failures: number }>();

  constructor(
    config: AppConfig,
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly metrics: BusMetrics,
  ) {
    this.signer = new EventSigner(config.signingKey);
    this.maxRequestBytes = config.kafkaMaxMessageBytes;
  }

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.data?.[OUTBOX_WRITTEN]) {
      event.queryRunner.data = { ...event.queryRunner.data, [OUTBOX_WRITTEN]: false };
      this.wake();
    }
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.producer?.disconnect().catch(() => undefined);
  }

  /** Asks for a pass as soon as the current one ends. */
  wake(): void {
    this.pending = true;
    this.wakeUp?.();
  }

  /** Sends everything pending now; resolves when the outbox is empty (tests and the benchmark use it). */
  async drain(): Promise<void> {
    while ((await this.relayOnce()) > 0);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.pending = false;
      try {
        const claimed = await this.relayOnce();
        failures = 0;
        if (claimed === BATCH_SIZE) continue;
        await this.cleanup();
      } catch (error) {
        failures++;
        const delay = backoffDelay(failures, PASS_RETRY);
        this.logger.warn(`relay pass failed (${(error as Error).message}); next in ${delay} ms`);
        await this.sleep(delay);
        continue;
      }
      if (!this.pending) await this.sleep(POLL_MS);
    }
  }

  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
    this.wakeUp = undefined;
  }

  /** One pass; returns how many rows it claimed (0 when another relay of this database holds the turn). */
  relayOnce(): Promise<number> {
    const pass = this.passes.then(() => this.pass());
    this.passes = pass.catch(() => undefined);
    return pass;
  }

  private async pass(): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let locked = false;
    try {
      [{ locked }] = (await runner.query('select pg_try_advisory_lock($1) as locked', [RELAY_LOCK])) as {
        locked: boolean;
      }[];
      if (!locked) return 0;
      const rows = await this.claim(runner);
      if (rows.length === 0) {
        if (this.heldBack.size === 0) this.metrics.outboxPending.set(0);
        return 0;
      }
      await this.send(runner, rows);
      return rows.length;
    } finally {
      if (locked) await runner.query('select pg_advisory_unlock($1)', [RELAY_LOCK]).catch(() => undefined);
      await runner.release();
    }
  }

  /**
   * Takes the pending rows of the topics not held back: those numbered by an earlier pass first (lowest sequence
   * numbers), then new ones in commit-visible order, which it numbers and signs in a transaction of their own.
   */
  private async claim(runner: QueryRunner): Promise<NumberedRow[]> {
    const now = Date.now();
    const skip = [...this.heldBack].filter(([, hold]) => hold.until > now).map(([topic]) => topic);
    // bigint columns arrive as strings; no casts here, so that `order by` sorts them as numbers.
    const columns = 'id, topic, key, headers, payload, seq, signature';
    await runner.startTransaction();
    try {
      const numbered = (await runner.query(
        `select ${columns} from bus_outbox where sent_at is null and seq is not null and topic <> all($2::text[])
          order by seq limit $1`,
        [BATCH_SIZE, skip],
      )) as OutboxRow[];
      const fresh =
        numbered.length < BATCH_SIZE
          ? ((await runner.query(
              `select ${columns} from bus_outbox where sent_at is null and seq is null and topic <> all($2::text[])
                order by id limit $1`,
              [BATCH_SIZE - numbered.length, skip],
            )) as OutboxRow[])
          : [];
      await this.number(runner, fresh);
      await runner.commitTransaction();
      return [...numbered, ...fresh] as NumberedRow[];
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  }

  /** Gives rows their topic's next sequence numbers, in order, signs them, and stores both. */
  private async number(runner: QueryRunner, rows: OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    for (const [topic, topicRows] of byTopic(rows)) {
      const [{ last }] = (await runner.query(
        `insert into bus_outbox_sequence (topic, last) values ($1, $2)
           on conflict (topic) do update set last = bus_outbox_sequence.last + excluded.last returning last`,
        [topic, topicRows.length],
      )) as { last: string }[];
      let seq = BigInt(last) - BigInt(topicRows.length);
      for (const row of topicRows) row.seq = (++seq).toString();
    }
    await Promise.all(
      rows.map(async (row) => {
        row.signature = await this.signer.signAsync(signedFields(row.headers, row.payload, row.seq!));
      }),
    );
    await runner.query(
      `update bus_outbox o set seq = s.seq, signature = s.signature
         from unnest($1::bigint[], $2::bigint[], $3::text[]) as s(id, seq, signature) where o.id = s.id`,
      [rows.map((row) => row.id), rows.map((row) => row.seq), rows.map((row) => row.signature)],
    );
  }

  /** Sends topic by topic, each in sequence order and in requests bounded by bytes; marks each request's rows. */
  private async send(runner: QueryRunner, rows: NumberedRow[]): Promise<void> {
    for (const [topic, topicRows] of byTopic(rows)) {
      topicRows.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
      const messages = topicRows.map((row) => ({ row, message: toMessage(row) }));
      const requests = splitBySize(messages, ({ message }) => messageBytes(message), this.maxRequestBytes);
      let failed = false;
      for (const request of requests) {
        const ids = request.map(({ row }) => row.id);
        try {
          const producer = await this.connectedProducer();
          await producer.send({ topic, acks: -1, messages: request.map(({ message }) => message) });
        } catch (error) {
          failed = true;
          await this.failed(runner, topic, ids, error);
          // The broker refused this topic: the others go on. Anything else (unreachable) ends the pass.
          if (isTopicScoped(error)) break;
          throw error;
        }
        await runner.query(
          'update bus_outbox set sent_at = now(), attempts = attempts + 1, last_attempt_at = now() where id = any($1::bigint[])',
          [ids],
        );
        this.metrics.published.inc({ topic }, ids.length);
      }
      if (!failed) this.heldBack.delete(topic);
    }
  }

  private async failed(runner: QueryRunner, topic: string, ids: string[], error: unknown): Promise<void> {
    const message = `${kafkaErrorType(error) ?? (error as Error).name}: ${(error as Error).message}`.slice(
      0,
      LAST_ERROR_CHARS,
    );
    const failures = (this.heldBack.get(topic)?.failures ?? 0) + 1;
    const delay = backoffDelay(failures, TOPIC_RETRY);
    this.heldBack.set(topic, { until: Date.now() + delay, failures });
    this.metrics.relayFailures.inc({ topic, type: kafkaErrorType(error) ?? 'other' });
    this.logger.warn(`sending to ${topic} failed (${message}); ${ids.length} events held back ${delay} ms`);
    if (isProducerBroken(error)) await this.replaceProducer(message);
    await runner
      .query(
        'update bus_outbox set attempts = attempts + 1, last_error = $2, last_attempt_at = now() where id = any($1::bigint[])',
        [ids, message],
      )
      .catch(() => undefined);
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      this.producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
        retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
      });
    }
    await this.producer.connect();
    return this.producer;
  }

  /** A new producer gets a new producer id, so its sequence numbers start afresh on every partition. */
  private async replaceProducer(why: string): Promise<void> {
    const broken = this.producer;
    this.producer = undefined;
    this.metrics.producerReplacements.inc();
    this.logger.warn(`producer replaced (${why})`);
    await broken?.disconnect().catch(() => undefined);
  }

  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    await this.dataSource.query(`delete from bus_outbox where sent_at < now() - interval '${SENT_RETENTION}'`);
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      'select count(*)::int as count from bus_outbox where sent_at is null',
    );
    this.metrics.outboxPending.set(count);
  }
}

function byTopic<T extends { topic: string }>(rows: T[]): Map<string, T[]> {
  const topics = new Map<string, T[]>();
  for (const row of rows) {
    const topicRows = topics.get(row.topic);
    if (topicRows) topicRows.push(row);
    else topics.set(row.topic, [row]);
  }
  return topics;
}

function toMessage(row: NumberedRow): Message & { key: string; value: string; headers: Record<string, string> } {
  return {
    key: row.key,
    value: row.payload,
    headers: { ...row.headers, ce_seq: row.seq, ce_sig: row.signature },
  };
}

function messageBytes(message: { key: string; value: string; headers: Record<string, string> }): number {
  return recordBytes(message.key, message.value, message.headers);
}
