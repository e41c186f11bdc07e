import { Consumer, Message, Producer } from 'kafkajs';
import { EventSigner } from '@app/bus';
import { balancedStreams, note, rawProbeMessage } from './payload';
import { BenchStack } from './stack';
import { now, sleep, until } from './util';

export interface ThroughputFigure {
  events: number;
  ms: number;
  perSecond: number;
}

export interface LatencySample {
  /** Milliseconds per event, in send order. */
  latencies: number[];
  sent: number;
}

/** The relay's producer settings: idempotent, acks=all, one request in flight (keeps each key's order). */
function relayLikeProducer(stack: BenchStack): Producer {
  return stack.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: true,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
  });
}

/**
 * The bus consumer's settings (group, session, fetch size, three partitions at a time, offsets committed per batch),
 * with nothing done per message but `onBatch`. Resolves once the consumer has joined its group.
 */
async function busLikeConsumer(
  stack: BenchStack,
  topic: string,
  onBatch: (messages: Message[], receivedAt: number) => void,
): Promise<Consumer> {
  const consumer = stack.kafka.consumer({
    groupId: `bench.${stack.runId}.${topic}`,
    allowAutoTopicCreation: true,
    sessionTimeout: 30_000,
    maxBytesPerPartition: 2 * 1024 * 1024,
  });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 3,
    eachBatch: async (payload) => {
      onBatch(payload.batch.messages, now());
      payload.resolveOffset(payload.batch.lastOffset());
      await payload.commitOffsetsIfNecessary();
    },
  });
  await until(() => joined, 30_000, `raw consumer of ${topic} joining its group`, 20);
  return consumer;
}

export interface RawThroughputOptions {
  seconds: number;
  batch: number;
  maxBacklog: number;
  noteBytes: number;
}

/**
 * `kafka.raw.throughput`: the bus's exact messages (envelope headers, value, seq, signature; built beforehand)
 * produced with the relay's producer settings in the relay's batch size, consumed with the bus consumer's settings;
 * events per second from the first send until the consumer has received the last message. The producer stays at
 * most `maxBacklog` messages ahead of the consumer, as the bus benchmark's publishers do.
 */
export async function rawThroughput(stack: BenchStack, options: RawThroughputOptions): Promise<ThroughputFigure> {
  const topic = `bench-${stack.runId}.raw-throughput`;
  await stack.createTopics([topic]);
  const signer = new EventSigner(stack.a.config.signingKey);
  const streams = balancedStreams(`raw-${stack.runId}`, 4);
  const text = note(options.noteBytes);
  const pool = Array.from({ length: options.batch }, (_, i) =>
    rawProbeMessage(signer, stack.a.name, streams[i % streams.length], Math.floor(i / streams.length) + 1, text),
  );

  let received = 0;
  const consumer = await busLikeConsumer(stack, topic, (messages) => (received += messages.length));
  const producer = relayLikeProducer(stack);
  await producer.connect();
  try {
    let sent = 0;
    const started = now();
    const stopAt = started + options.seconds * 1000;
    while (now() < stopAt) {
      if (sent - received > options.maxBacklog) {
        await sleep(1);
        continue;
      }
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: pool }] });
      sent += pool.length;
    }
    await until(() => received >= sent, 120_000, 'raw consumer catching up');
    const ms = now() - started;
    return { events: sent, ms, perSecond: (sent * 1000) / ms };
  } finally {
    await producer.disconnect();
    await consumer.disconnect();
  }
}

export interface FixedLoadOptions {
  /** Offered load, events per second. */
  rate: number;
  /** One batch every tickMs (rate × tickMs / 1000 events each). */
  tickMs: number;
  seconds: number;
  warmupSeconds: number;
}

/**
 * Calls `fire(tick, count)` every `tickMs` on a fixed schedule, whether or not earlier calls have finished
 * (an open loop: a slow step delays what comes after it instead of lowering the offered load); resolves once
 * every call has settled.
 */
export async function fixedLoad(
  options: Pick<FixedLoadOptions, 'rate' | 'tickMs'>,
  seconds: number,
  fire: (tick: number, count: number) => Promise<void>,
): Promise<void> {
  const perTick = Math.max(1, Math.round((options.rate * options.tickMs) / 1000));
  const ticks = Math.round((seconds * 1000) / options.tickMs);
  const started = now();
  const pending: Promise<void>[] = [];
  for (let tick = 0; tick < ticks; tick++) {
    const due = started + tick * options.tickMs;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    pending.push(fire(tick, perTick));
  }
  await Promise.all(pending);
}

/**
 * `kafka.raw.p50/p99`: the same messages at the same offered load, sent with the relay's producer settings; the
 * latency of each message is from just before its send call to its arrival in the consumer's batch.
 */
export async function rawLatency(
  stack: BenchStack,
  options: FixedLoadOptions & { noteBytes: number },
): Promise<LatencySample> {
  const topic = `bench-${stack.runId}.raw-latency`;
  await stack.createTopics([topic]);
  const signer = new EventSigner(stack.a.config.signingKey);
  const streams = balancedStreams(`rawlat-${stack.runId}`, 4);
  const text = note(options.noteBytes);
  const perTick = Math.max(1, Math.round((options.rate * options.tickMs) / 1000));
  const ticks = Math.ceil(((options.seconds + options.warmupSeconds) * 1000) / options.tickMs) + 1;
  // One tick's messages on one key, like one business transaction of the bus benchmark.
  const counters = new Map<string, number>();
  const byTick = Array.from({ length: ticks }, (_, tick) => {
    const stream = streams[tick % streams.length];
    return Array.from({ length: perTick }, () => {
      const n = (counters.get(stream) ?? 0) + 1;
      counters.set(stream, n);
      return rawProbeMessage(signer, stack.a.name, stream, n, text);
    });
  });

  const sentAt = new Map<string, number>();
  const receivedAt = new Map<string, number>();
  const consumer = await busLikeConsumer(stack, topic, (batch, at) => {
    for (const message of batch) {
      const id = message.headers?.ce_id?.toString();
      if (id) receivedAt.set(id, at);
    }
  });
  const producer = relayLikeProducer(stack);
  await producer.connect();
  try {
    let next = 0;
    const send = async (measured: boolean) => {
      const batch = byTick[next++];
      const at = now();
      if (measured) for (const message of batch) sentAt.set(message.headers.ce_id, at);
      await producer.send({ topic, acks: -1, messages: batch });
    };
    await fixedLoad(options, options.warmupSeconds, () => send(false));
    await fixedLoad(options, options.seconds, () => send(true));
    await until(() => [...sentAt.keys()].every((id) => receivedAt.has(id)), 60_000, 'raw latency messages', 50);
    return { latencies: [...sentAt.entries()].map(([id, at]) => receivedAt.get(id)! - at), sent: sentAt.size };
  } finally {
    await producer.disconnect();
    await consumer.disconnect();
  }
}
