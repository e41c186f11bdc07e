import { Injectable, Logger } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { DomainError } from '@app/http';
import { BusError, classifyFailure } from './bus.errors';
import { DeadLetterService } from './dead-letter/dead-letter.service';
import { BusConsumer } from './inbox/bus-consumer.service';
import { InboundVerifier } from './inbox/event-verifier';
import { InboxService, Outcome } from './inbox/inbox.service';

export type ProjectionReset = (manager: EntityManager) => Promise<void>;

/** Time a rebuild may take: events that would turn stale before the rebuild reaches them count as stale already. */
const REPLAY_MARGIN_MS = 60 * 60 * 1000;

/** Rebuilding projections from the peer topics, and replaying dead letters. */
@Injectable()
export class ReplayService {
  private readonly logger = new Logger(ReplayService.name);
  private readonly resets: ProjectionReset[] = [];
  private readonly verifier: InboundVerifier;
  private rebuilding = false;
  private readonly retentionMs: number;

  constructor(
    config: AppConfig,
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly consumer: BusConsumer,
    private readonly inbox: InboxService,
    private readonly deadLetters: DeadLetterService,
  ) {
    this.verifier = new InboundVerifier(config.registry, config.region, config.service);
    this.retentionMs = config.kafkaRetentionMs;
  }

  /** A feature whose tables are built from peer events registers how to empty them. */
  registerProjection(reset: ProjectionReset): void {
    this.resets.push(reset);
  }

  /**
   * Empties the projections and the inbox of the peer topics, rewinds this service's consumer group to the start
   * of those topics and consumes them again: the projections converge to the same state. Refused (409) when the
   * topics no longer hold everything the projections were built from. Needs every other instance of this service
   * stopped (Kafka refuses to move the offsets of a group with members).
   */
  async rebuild(): Promise<{ topics: string[] }> {
    if (this.rebuilding) throw new DomainError('BUS.REPLAY_RUNNING', 'conflict', 'a rebuild is already running');
    this.rebuilding = true;
    const { topics, groupId } = this.consumer;
    const admin = this.kafka.admin();
    let stopped = false;
    try {
      await admin.connect();
      const missing = await this.missingHistory(admin, topics);
      if (missing) throw new DomainError('BUS.REPLAY_INCOMPLETE', 'conflict', missing, { details: { topics } });
      await this.consumer.stop();
      stopped = true;
      for (const topic of topics) await admin.resetOffsets({ groupId, topic, earliest: true });
      await this.dataSource.transaction(async (manager) => {
        await manager.query('delete from bus_inbox where topic = any($1)', [topics]);
        await manager.query('delete from bus_inbox_floor where topic = any($1)', [topics]);
        for (const reset of this.resets) await reset(manager);
      });
      this.logger.log(`rebuilding projections from the start of ${topics.join(', ')}`);
      return { topics };
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError('BUS.REPLAY_REFUSED', 'conflict', `cannot rewind ${groupId}: ${(error as Error).message}`, {
        cause: error,
      });
    } finally {
      await admin.disconnect().catch(() => undefined);
      if (stopped) this.consumer.start();
      this.rebuilding = false;
    }
  }

  /**
   * Why the topics cannot rebuild what a rebuild deletes, or undefined if they can: a partition whose log no longer
   * starts at offset 0 lost events (retention, or records deleted), and events signed longer ago than the
   * retention would be refused as stale on the way.
   */
  private async missingHistory(admin: Admin, topics: string[]): Promise<string | undefined> {
    const staleBefore = this.retentionMs < 0 ? undefined : Date.now() - this.retentionMs + REPLAY_MARGIN_MS;
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      for (const { partition, low } of offsets) {
        if (low !== '0') {
          return `${topic}[${partition}] starts at offset ${low}: the events before it are gone, so a rebuild would lose what they built`;
        }
      }
      if (staleBefore === undefined) continue;
      // The first offset whose timestamp is at or after the horizon; anything below it is older.
      for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(topic, staleBefore)) {
        const { high } = offsets.find((entry) => entry.partition === partition)!;
        const firstRecent = offset === '-1' ? high : offset;
        if (firstRecent !== '0') {
          return `${topic}[${partition}] holds events older than the topics' retention (${this.retentionMs} ms): a rebuild would refuse them as stale`;
        }
      }
    }
    return undefined;
  }

  /** Runs a dead letter through verification and the inbox again, e.g. after the fix for its cause is deployed. */
  async replayDeadLetter(
    id: string,
  ): Promise<{ outcome: Outcome | 'still_dead'; reasonCode?: string; reason?: string }> {
    const letter = await this.deadLetters.get(id);
    if (!letter) throw new DomainError('BUS.DEAD_LETTER_NOT_FOUND', 'not-found', `no dead letter ${id}`);
    const handlers = this.consumer.handlerLookup;
    if (!handlers) throw new DomainError('BUS.CONSUMER_NOT_READY', 'unavailable', 'the consumer has not started yet');
    const verdict = await this.verifier.verify({
      topic: letter.topic,
      partition: letter.partition,
      offset: letter.offset,
      key: letter.key,
      value: letter.payload,
      headers: letter.headers,
    });
    let failure: BusError | undefined = verdict.ok ? undefined : verdict.error;
    let outcome: Outcome | undefined;
    if (verdict.ok) {
      try {
        outcome = await this.inbox.applyOnce(verdict.event, handlers);
      } catch (error) {
        // The database gave no connection: nothing is known about the letter yet (HTTP 503), it stays as it was.
        if (classifyFailure(error) === 'infrastructure') throw error;
        failure =
          error instanceof BusError ? error : new BusError('BUS.HANDLER_FAILED', (error as Error).message, false);
      }
    }
    await this.deadLetters.markReplayed(id, !failure, failure && { code: failure.code, message: failure.message });
    return failure
      ? { outcome: 'still_dead', reasonCode: failure.code, reason: failure.message }
      : { outcome: outcome! };
  }
}
