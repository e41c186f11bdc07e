import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { ClearIdentifierFinding, findClearIdentifiers, scanText } from '@app/bus';
import { sleep } from '@app/runtime';

/** A message on the broker that carries a clear identifier, and where in it (never the value). */
export interface ClearIdentifierOnBroker {
  topic: string;
  partition: number;
  offset: string;
  /** The CloudEvents type, when the message has one. */
  type?: string;
  /** Paths in the JSON value; `(key)` for the Kafka key, `(header <name>)` for a header. */
  findings: ClearIdentifierFinding[];
}

export interface BrokerScanOptions {
  brokers: string | string[];
  /** Only the topics this accepts (e.g. the test's regions' prefixes); every topic but Kafka's own by default. */
  topics?: (topic: string) => boolean;
  /** The whole scan's budget (listing, offsets, reading): past it the scan rejects, naming what it had left. */
  timeoutMs?: number;
}

/** Topics whose offsets are asked for at once: a broker with thousands of topics is listed in bounded time. */
const OFFSET_CONCURRENCY = 16;

/**
 * Reads every message of every topic of a broker, from the start to the end each partition had when the scan
 * began, and returns those that hold a valid resident ID or mobile number in their key, headers or value. Bounded
 * in time: it rejects after `timeoutMs` (default 60 s) rather than wait on a broker too large to read.
 */
export async function scanBrokerForClearIdentifiers(options: BrokerScanOptions): Promise<ClearIdentifierOnBroker[]> {
  const brokers = Array.isArray(options.brokers) ? options.brokers : options.brokers.split(',');
  const kafka = new Kafka({ clientId: 'clear-identifier-scan', brokers, logLevel: logLevel.NOTHING });
  const timeoutMs = options.timeoutMs ?? 60_000;
  const ends = new Map<string, bigint>();
  let stage = 'listing topics';
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      late = true;
      const left = ends.size > 0 ? `: ${[...ends.keys()].slice(0, 20).join(', ')}${ends.size > 20 ? ', …' : ''}` : '';
      reject(new Error(`broker scan incomplete after ${timeoutMs} ms (${stage})${left}`));
    }, timeoutMs);
  });
  expired.catch(() => undefined);
  // What is under way when the budget runs out is let finish before the clients disconnect: a call made after
  // `disconnect` would connect again and hold the process open.
  const underWay: Promise<unknown>[] = [];
  const step = <T>(work: Promise<T>): Promise<T> => {
    underWay.push(work.catch(() => undefined));
    return Promise.race([work, expired]);
  };
  const admin = kafka.admin();
  const consumer = kafka.consumer({ groupId: `clear-identifier-scan-${randomUUID()}` });
  const found: ClearIdentifierOnBroker[] = [];
  try {
    await step(admin.connect());
    const topics = (await step(admin.listTopics())).filter(
      (topic) => !topic.startsWith('__') && (options.topics?.(topic) ?? true),
    );
    stage = `fetching the offsets of ${topics.length} topics`;
    const queue = [...topics];
    const fetchOffsets = async () => {
      for (let topic = queue.shift(); topic !== undefined && !late; topic = queue.shift()) {
        for (const { partition, high, low } of await withRetries(() => admin.fetchTopicOffsets(topic))) {
          if (BigInt(high) > BigInt(low)) ends.set(`${topic}:${partition}`, BigInt(high));
        }
      }
    };
    await step(Promise.all(Array.from({ length: OFFSET_CONCURRENCY }, fetchOffsets)));
    if (ends.size === 0) return found;

    stage = `reading ${ends.size} partitions`;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    await step(consumer.connect());
    await step(
      consumer.subscribe({
        topics: topics.filter((t) => [...ends.keys()].some((k) => k.startsWith(`${t}:`))),
        fromBeginning: true,
      }),
    );
    await step(
      consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          const end = ends.get(`${topic}:${partition}`);
          if (end === undefined) return;
          if (BigInt(message.offset) < end) {
            const findings = scanMessage(message.key, message.value, message.headers ?? {});
            if (findings.length > 0) {
              const type = message.headers?.ce_type?.toString();
              found.push({ topic, partition, offset: message.offset, ...(type && { type }), findings });
            }
          }
          if (BigInt(message.offset) + 1n >= end) {
            ends.delete(`${topic}:${partition}`);
            if (ends.size === 0) finish();
          }
          return Promise.resolve();
        },
      }),
    );
    await Promise.race([done, expired]);
  } finally {
    clearTimeout(timer);
    await Promise.all(underWay);
    await Promise.all([consumer.disconnect().catch(() => undefined), admin.disconnect().catch(() => undefined)]);
  }
  return found.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/** A topic created a moment ago may have no leader yet: ask again a few times. */
async function withRetries<T>(call: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !(error as { retriable?: boolean }).retriable) throw error;
      await sleep(250);
    }
  }
}

/** Headers that are opaque tokens, times or counters the bus sets itself: their digit runs are chance, not people. */
const OPAQUE_HEADERS = new Set([
  'ce_id',
  'ce_sig',
  'ce_seq',
  'ce_time',
  'ce_traceparent',
  'ce_causationid',
  'ce_correlationid',
  'dlq_offset',
  'dlq_partition',
  'dlq_time',
]);

function scanMessage(
  key: Buffer | null,
  value: Buffer | null,
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined>,
): ClearIdentifierFinding[] {
  const findings: ClearIdentifierFinding[] = [];
  const add = (path: string, text: string) => {
    const kinds = [...new Set(scanText(text).map((match) => match.kind))].sort();
    if (kinds.length > 0) findings.push({ path, kinds });
  };
  if (key) add('(key)', key.toString());
  for (const [name, header] of Object.entries(headers)) {
    if (header !== undefined && !OPAQUE_HEADERS.has(name))
      add(`(header ${name})`, [header].flat().map(String).join(','));
  }
  if (value) {
    const text = value.toString();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      add('(value)', text);
      return findings;
    }
    findings.push(...findClearIdentifiers(parsed).map((f) => ({ ...f, path: f.path === '' ? '(value)' : f.path })));
  }
  return findings;
}
