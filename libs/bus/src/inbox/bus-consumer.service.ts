import { Injectable, Logger } from '@nestjs/common';
import { Batch, Consumer, Kafka } from 'kafkajs';
import { AppConfig } from '@app/config';
import { consumedTopics } from '@app/contracts';
import { backoffDelay, sleep } from '@app/runtime';
import { BusMetrics } from '../bus.metrics';
import { DeadLetterService } from '../dead-letter/dead-letter.service';
import { consumerGroupId } from '../kafka.provider';
import { InboundVerifier, VerifiedEvent } from './event-verifier';
import { HandlerLookup, InboxService, invoke } from './inbox.service';

/** A consumer that could not start (broker down, topics missing): 250–500 ms at first, up to 5–10 s. */
const START_RETRY = { baseMs: 500, maxMs: 10_000 };

/**
 * Consumes the peers' topics (and those of the domains the service reads) in batches, one partition at a time per batch, so each key's events are applied in
 * order: verify every message, dead-letter the ones that can never apply, apply the rest through the inbox, then
 * commit the offsets. It runs in the background and keeps retrying while Kafka is away.
 */
@Injectable()
export class BusConsumer {
  private readonly logger = new Logger(BusConsumer.name);
  private readonly verifier: InboundVerifier;
  readonly groupId: string;
  readonly topics: string[];
  /** Each partition in flight holds a connection: leave two of the pool to the relay and to HTTP requests. */
  private readonly concurrency: number;
  private consumer?: Consumer;
  private handlers?: HandlerLookup;
  private running = false;
  private loop?: Promise<void>;

  constructor(
    config: AppConfig,
    private readonly kafka: Kafka,
    private readonly inbox: InboxService,
    private readonly deadLetters: DeadLetterService,
    private readonly metrics: BusMetrics,
  ) {
    this.verifier = new InboundVerifier(config.registry, config.region, config.service);
    this.groupId = consumerGroupId(config);
    this.topics = consumedTopics(config.service, config.region, config.registry.names);
    this.concurrency = Math.min(3, Math.max(1, config.databasePoolSize - 2));
  }

  get handlerLookup(): HandlerLookup | undefined {
    return this.handlers;
  }

  start(handlers: HandlerLookup = this.handlers!): void {
    this.handlers = handlers;
    if (this.running) return;
    this.running = true;
    this.loop = this.runUntilStopped();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.loop;
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
  }

  private async runUntilStopped(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const consumer = this.kafka.consumer({
        groupId: this.groupId,
        allowAutoTopicCreation: true,
        sessionTimeout: 30_000,
        maxBytesPerPartition: 2 * 1024 * 1024,
      });
      // Known before it connects, so that stop() can end it at any point of its start.
      this.consumer = consumer;
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: this.topics, fromBeginning: true });
        await consumer.run({
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: this.concurrency,
          eachBatch: async (payload) => {
            const { batch } = payload;
            const running = () => this.running && payload.isRunning() && !payload.isStale();
            await this.handleBatch(batch, { heartbeat: () => payload.heartbeat(), isRunning: running });
            if (!running()) return;
            payload.resolveOffset(batch.lastOffset());
            await payload.commitOffsetsIfNecessary();
            this.metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, Number(batch.offsetLag()));
          },
        });
        if (!this.running) {
          // stop() came while this consumer was starting: it must not keep running behind the caller's back.
          await consumer.disconnect().catch(() => undefined);
          return;
        }
        this.logger.log(`consuming ${this.topics.join(', ')} as ${this.groupId}`);
        return;
      } catch (error) {
        await consumer.disconnect().catch(() => undefined);
        if (!this.running) return;
        const delay = backoffDelay(++failures, START_RETRY);
        this.logger.warn(`Kafka consumer not started (${(error as Error).message}); retrying in ${delay} ms`);
        await sleep(delay);
      }
    }
  }

  private async handleBatch(batch: Batch, control: { heartbeat(): Promise<void>; isRunning(): boolean }) {
    const durable: VerifiedEvent[] = [];
    const incoming = batch.messages.map((message) => ({ ...message, topic: batch.topic, partition: batch.partition }));
    // Signatures are checked on the thread pool, all of the batch at once; the results are used in offset order.
    const verdicts = await Promise.all(incoming.map((message) => this.verifier.verify(message)));
    for (const [i, verdict] of verdicts.entries()) {
      if (!verdict.ok) {
        await this.deadLetters.deadLetter(incoming[i], verdict);
      } else if (verdict.event.ephemeral) {
        await this.applyEphemeral(verdict.event);
      } else {
        durable.push(verdict.event);
      }
    }
    await this.inbox.apply(durable, this.handlers!, control);
  }

  /** Liveness signals change no state: a failure is logged, never retried or dead-lettered. */
  private async applyEphemeral(event: VerifiedEvent): Promise<void> {
    const handler = this.handlers!(event.event.type);
    if (!handler) return;
    await invoke(handler, event).catch((error: Error) =>
      this.logger.warn(`${event.event.type} from ${event.origin} not applied: ${error.message}`),
    );
  }
}
