import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Kafka, Producer, TopicMessages } from 'kafkajs';
import { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { AppConfig } from '@app/config';
import { EventSigner } from '../trust';
import { BusMetrics } from '../bus.metrics';
import { signedFields } from '../envelope';
import { OUTBOX_WRITTEN } from './bus-publisher.service';

interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  key: string;
  headers: Record<string, string>;
  payload: string;
  seq: string | null;
  signature: string | null;
}

/** One relay at a time per database sends a batch: that keeps each topic's sequence and each key's order. */
const RELAY_LOCK = 0x5d1a_0b05;
const BATCH_SIZE = 1000;
const POLL_MS = 1000;
const SENT_RETENTION = '24 hours';

/**
 * Sends outbox rows to Kafka in order, in batches, with an idempotent producer (acks=all, one request in flight),
 * and marks them sent in the same transaction that claimed them: a crash before the mark means the batch is sent
 * again (the peers' inbox drops the duplicates), never that a row is lost. It wakes right after a commit that
 * wrote outbox rows in this process, and polls for rows written by other processes.
 */
@Injectable()
export class OutboxRelay
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown, EntitySubscriberInterface
{
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly signer: EventSigner;
  private producer?: Producer;
  private running = false;
  private wakeUp?: () => void;
  private pending = false;
  private loop?: Promise<void>;
  private lastCleanup = 0;

  constructor(
    config: AppConfig,
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly metrics: BusMetrics,
  ) {
    this.signer = new EventSigner(config.signingKey);
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
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
    });
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
        const sent = await this.relayOnce();
        failures = 0;
        if (sent === BATCH_SIZE) continue;
        await this.cleanup();
      } catch (error) {
        failures++;
        const delay = Math.min(200 * 2 ** failures, 10_000);
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

  /** One batch: claim, number, sign, send, mark; all in one transaction. Returns how many rows were sent. */
  async relayOnce(): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      // The advisory lock is taken in the claim itself (one round trip): rows only for the relay that holds it.
      const rows = (await runner.query(
        `select id, event_id, topic, key, headers, payload, seq, signature from bus_outbox
          where sent_at is null and pg_try_advisory_xact_lock($1) order by id limit $2 for update skip locked`,
        [RELAY_LOCK, BATCH_SIZE],
      )) as OutboxRow[];
      if (rows.length === 0) {
        await runner.commitTransaction();
        this.metrics.outboxPending.set(0);
        return 0;
      }
      await this.number(runner.query.bind(runner), rows);
      await this.producer!.connect();
      await this.producer!.sendBatch({ acks: -1, topicMessages: this.messages(rows) });
      await runner.query(
        `update bus_outbox o set sent_at = now(), seq = s.seq, signature = s.signature, attempts = o.attempts + 1
           from unnest($1::bigint[], $2::bigint[], $3::text[]) as s(id, seq, signature) where o.id = s.id`,
        [rows.map((row) => row.id), rows.map((row) => row.seq), rows.map((row) => row.signature)],
      );
      await runner.commitTransaction();
      for (const row of rows) this.metrics.published.inc({ topic: row.topic });
      return rows.length;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Gives rows their topic's next sequence numbers (kept if a failed send already gave them one) and signs them. */
  private async number(query: (sql: string, params: unknown[]) => Promise<unknown>, rows: OutboxRow[]) {
    const unnumbered = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      if (row.seq !== null) continue;
      unnumbered.set(row.topic, [...(unnumbered.get(row.topic) ?? []), row]);
    }
    for (const [topic, topicRows] of unnumbered) {
      const [{ last }] = (await query(
        `insert into bus_outbox_sequence (topic, last) values ($1, $2)
           on conflict (topic) do update set last = bus_outbox_sequence.last + excluded.last returning last`,
        [topic, topicRows.length],
      )) as { last: string }[];
      let seq = BigInt(last) - BigInt(topicRows.length);
      for (const row of topicRows) {
        seq += 1n;
        row.seq = seq.toString();
        row.signature = null;
      }
    }
    await Promise.all(
      rows.map(async (row) => {
        row.signature ??= await this.signer.signAsync(signedFields(row.headers, row.payload, row.seq!));
      }),
    );
  }

  private messages(rows: OutboxRow[]): TopicMessages[] {
    const byTopic = new Map<string, TopicMessages>();
    for (const row of rows) {
      let topic = byTopic.get(row.topic);
      if (!topic) byTopic.set(row.topic, (topic = { topic: row.topic, messages: [] }));
      topic.messages.push({
        key: row.key,
        value: row.payload,
        headers: { ...row.headers, ce_seq: row.seq!, ce_sig: row.signature! },
      });
    }
    return [...byTopic.values()];
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
