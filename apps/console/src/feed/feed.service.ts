import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Consumer, Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { Observable, Subject } from 'rxjs';
import { InboundVerifier, kafkaClientSecurity, stringHeaders } from '@app/bus';
import { EPHEMERAL_EVENT_TYPES, SERVICES, SERVICE_NAMES, parseTopic } from '@app/contracts';
import { PeriodicTask } from '@app/runtime';
import { ConsoleConfig } from '../console.config';

/** One event crossing the line, as the page shows it: envelope attributes only, never the payload. */
export interface FeedItem {
  topic: string;
  type: string;
  origin: string;
  /** The one region a directed event is for; null for a broadcast. */
  target: string | null;
  subject: string;
  time: string;
  seq: string | null;
  /** The origin's signature and the envelope check out (what the receiving region will also find). */
  verified: boolean;
  /** Why not, when not (BUS.BAD_SIGNATURE, …). */
  rejection: string | null;
}

const KEEP = 200;
const DOMAINS = new Set<string>(Object.values(SERVICES).map((service) => service.domain));
const TOPIC_REFRESH_MS = 15_000;

/**
 * Reads every region's domain topics from their end, in a consumer group of its own that never commits: it
 * changes nothing for the services' groups and starts at the newest event each time.
 */
@Injectable()
export class FeedService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FeedService.name);
  private readonly kafka?: Kafka;
  private readonly verifiers = new Map<string, InboundVerifier>();
  private readonly items = new Subject<FeedItem>();
  private readonly recent: FeedItem[] = [];
  private consumer?: Consumer;
  private topics: string[] = [];
  /** Follows the set of domain topics: at boot, then every TOPIC_REFRESH_MS after the previous pass. */
  private readonly following = new PeriodicTask({
    name: 'live feed',
    intervalMs: TOPIC_REFRESH_MS,
    runAtStart: true,
    run: () => this.followTopics(),
    logger: this.logger,
  });
  private running = false;

  constructor(private readonly config: ConsoleConfig) {
    if (config.kafkaBrokers) {
      this.kafka = new Kafka({
        clientId: 'console',
        brokers: config.kafkaBrokers,
        ...kafkaClientSecurity(config),
        logLevel: logLevel.NOTHING,
        connectionTimeout: 3000,
        retry: { initialRetryTime: 300, retries: 5, maxRetryTime: 5000 },
      });
    }
  }

  get enabled(): boolean {
    return this.kafka !== undefined;
  }

  get changes(): Observable<FeedItem> {
    return this.items.asObservable();
  }

  latest(): FeedItem[] {
    return [...this.recent];
  }

  onApplicationBootstrap(): void {
    if (!this.kafka) return;
    this.running = true;
    this.following.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.following.stop();
    await this.consumer?.disconnect().catch(() => undefined);
    this.items.complete();
  }

  /** Domain topics appear as regions and services start: (re)subscribe when the set of them changes. */
  private async followTopics(): Promise<void> {
    const admin = this.kafka!.admin();
    let topics: string[];
    try {
      await admin.connect();
      topics = (await admin.listTopics()).filter((topic) => this.isDomainTopic(topic)).sort();
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    if (!this.running || (this.consumer && topics.join() === this.topics.join())) return;
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    this.topics = topics;
    if (topics.length === 0) return;

    const consumer = this.kafka!.consumer({ groupId: this.config.kafkaGroupId, allowAutoTopicCreation: false });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => this.show(topic, partition, message),
    });
    this.consumer = consumer;
    this.logger.log(`live feed of ${topics.join(', ')}`);
  }

  /** `<region>.<domain>` or `<region>.<domain>.<target>`, for the regions in the registry; not dead letters. */
  private isDomainTopic(topic: string): boolean {
    const parsed = parseTopic(topic);
    return (
      parsed !== undefined &&
      DOMAINS.has(parsed.domain) &&
      this.config.registry.has(parsed.owner) &&
      (parsed.target === undefined || this.config.registry.has(parsed.target))
    );
  }

  /** Checks an event as its receiver will: the target region, or a peer of the origin for a broadcast. */
  private verifierFor(topic: string): InboundVerifier {
    const { owner, domain, target } = parseTopic(topic)!;
    const service = SERVICE_NAMES.find((name) => SERVICES[name].domain === domain)!;
    const receiver = target ?? this.config.registry.peersOf(owner)[0]?.name ?? owner;
    const key = `${receiver}/${service}`;
    let verifier = this.verifiers.get(key);
    if (!verifier) {
      verifier = new InboundVerifier(this.config.registry, receiver, service);
      this.verifiers.set(key, verifier);
    }
    return verifier;
  }

  private async show(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    const headers = stringHeaders(message.headers);
    const type = headers.ce_type ?? '(no type)';
    if (EPHEMERAL_EVENT_TYPES.has(type)) return;
    const verdict = await this.verifierFor(topic).verify({ ...message, topic, partition });
    const item: FeedItem = {
      topic,
      type,
      origin: headers.ce_region ?? '(none)',
      target: headers.ce_target ?? null,
      subject: headers.ce_subject ?? message.key?.toString() ?? '',
      time: headers.ce_time ?? new Date(Number(message.timestamp)).toISOString(),
      seq: headers.ce_seq ?? null,
      verified: verdict.ok,
      rejection: verdict.ok ? null : verdict.error.code,
    };
    this.recent.unshift(item);
    this.recent.length = Math.min(this.recent.length, KEEP);
    this.items.next(item);
  }
}
