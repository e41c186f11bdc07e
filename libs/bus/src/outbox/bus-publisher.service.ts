import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { Domain, EventPayload, EventType, SERVICES, directedTopic, domainTopic } from '@app/contracts';
import { buildEnvelope, eventSource } from '../envelope';
import { validatePayload } from '../payload-validation';
import { findClearIdentifiers, scanText } from '../trust/clear-identifiers';
import { ClearIdentifierError } from './clear-identifier.error';
import { EventTooLargeError } from './event-too-large.error';
import { requestBytesAlone } from './record-size';

export interface PublishOptions {
  /**
   * The region the event is addressed to: it travels on the directed topic `<origin>.<domain>.<target>`, which
   * only that region consumes (the others never see it). Without one, the event is broadcast to every peer.
   */
  target?: string;
  /** The event that caused this one, and the conversation both belong to. */
  causationId?: string;
  correlationId?: string;
  /** W3C trace context of the request that publishes; a new trace when absent. */
  traceparent?: string;
}

export interface OutgoingEvent<T extends EventType = EventType> {
  type: T;
  /** Kafka key and CloudEvents subject: a pseudonym or other non-identifying key, never a clear ID number. */
  subject: string;
  data: EventPayload<T>;
  options?: PublishOptions;
}

/** Marks a transaction that wrote outbox rows, so the relay is woken right after it commits. */
export const OUTBOX_WRITTEN = 'shuanglai.outboxWritten';

/**
 * Publishes events through the transactional outbox: the rows are written by the caller's transaction, so the
 * state change and its events commit together or not at all; the relay sends them after the commit.
 */
@Injectable()
export class BusPublisher {
  private readonly domain: Domain;
  private readonly source: string;

  constructor(private readonly config: AppConfig) {
    this.domain = SERVICES[config.service].domain;
    this.source = eventSource(config.region, config.service);
  }

  async publish<T extends EventType>(
    manager: EntityManager,
    type: T,
    subject: string,
    data: EventPayload<T>,
    options?: PublishOptions,
  ): Promise<string> {
    const [id] = await this.publishMany(manager, [{ type, subject, data, options }]);
    return id;
  }

  async publishMany(manager: EntityManager, events: OutgoingEvent[]): Promise<string[]> {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      throw new Error('BusPublisher.publish must run inside a transaction (dataSource.transaction(manager => ...))');
    }
    if (events.length === 0) return [];
    const rows = events.map((event) => this.row(event));
    const values = rows.map(
      (_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`,
    );
    await manager.query(
      `insert into bus_outbox (event_id, topic, key, type, headers, payload) values ${values.join(', ')}`,
      rows.flatMap((row) => [row.id, row.topic, row.key, row.type, row.headers, row.payload]),
    );
    runner.data = { ...runner.data, [OUTBOX_WRITTEN]: true };
    return rows.map((row) => row.id);
  }

  private row(event: OutgoingEvent) {
    const id = randomUUID();
    const { options = {} } = event;
    const { target } = options;
    if (target !== undefined && !this.config.registry.has(target)) {
      throw new Error(`target '${target}' is not a region of the registry`);
    }
    const topic =
      target === undefined
        ? domainTopic(this.config.region, this.domain)
        : directedTopic(this.config.region, this.domain, target);
    const data = validatePayload(event.type, event.data);
    refuseClearIdentifiers(event.type, event.subject, data);
    const { headers, payload } = buildEnvelope({
      id,
      type: event.type,
      source: this.source,
      region: this.config.region,
      subject: event.subject,
      data,
      extensions: {
        traceparent: options.traceparent ?? newTraceparent(),
        target,
        causationid: options.causationId,
        correlationid: options.correlationId,
      },
    });
    // Refused here, in the caller's transaction: the relay could never send it, and it would hold back its topic.
    const bytes = requestBytesAlone(event.subject, payload, headers);
    if (bytes > this.config.kafkaMaxMessageBytes) {
      throw new EventTooLargeError(event.type, bytes, this.config.kafkaMaxMessageBytes);
    }
    return { id, topic, key: event.subject, type: event.type, headers: JSON.stringify(headers), payload };
  }
}

/** How a clear identifier in the subject (the Kafka key) is named among the payload's field paths. */
export const SUBJECT_FIELD = '(event subject)';

/** Nothing personal in the clear crosses the line: every string of the payload, and the subject, is scanned. */
function refuseClearIdentifiers(type: string, subject: string, data: object): void {
  const findings = findClearIdentifiers(data);
  const inSubject = scanText(subject);
  if (inSubject.length > 0) {
    findings.unshift({ path: SUBJECT_FIELD, kinds: [...new Set(inSubject.map((match) => match.kind))].sort() });
  }
  if (findings.length > 0) throw new ClearIdentifierError(type, findings);
}

function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}
