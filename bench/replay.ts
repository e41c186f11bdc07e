import { EventSigner } from '@app/bus';
import { signDevToken } from '@app/http';
import { ThroughputFigure } from './kafka-raw';
import { balancedStreams, note, rawProbeMessage } from './payload';
import { BenchStack } from './stack';
import { log, now, until } from './util';

export interface ReplayOptions {
  /** Events put on A's topic for B to rebuild from (the issue: 100,000). */
  events: number;
  noteBytes: number;
}

/**
 * `bus.replay.throughput`: `events` probes (the bus's exact messages, signed as A's relay signs them) are put on A's
 * topic and applied by B; then B's operator asks for `POST /bus/replay`, and the figure is every probe event on the
 * topics (these and whatever earlier phases sent) divided by the time from the request until B's projection holds
 * them all again: rewind, reset, fetch, verify, inbox and handler, as a real rebuild does.
 */
export async function replayThroughput(stack: BenchStack, options: ReplayOptions): Promise<ThroughputFigure> {
  const signer = new EventSigner(stack.a.config.signingKey);
  const streams = balancedStreams(`replay-${stack.runId}`, 4);
  const text = note(options.noteBytes);
  const producer = stack.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const counters = new Map<string, number>();
    for (let sent = 0; sent < options.events; sent += 1000) {
      const messages = Array.from({ length: Math.min(1000, options.events - sent) }, (_, i) => {
        const stream = streams[(sent + i) % streams.length];
        const n = (counters.get(stream) ?? 0) + 1;
        counters.set(stream, n);
        return rawProbeMessage(signer, stack.a.name, stream, n, text);
      });
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic: stack.a.topic, messages }] });
    }
  } finally {
    await producer.disconnect();
  }
  await stack.b.probes.waitApplied(streams, options.events, {
    ordered: false,
    timeoutMs: 900_000,
    what: 'the events to replay applied in B',
  });

  const events = await stack.b.probes.total();
  const token = signDevToken(
    { role: 'operator', region: stack.b.name, org: 'bench-operator', sub: 'bench:operator' },
    stack.b.config,
  );
  const started = now();
  const response = await fetch(`${stack.b.process.url}/bus/replay`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  if (response.status !== 202)
    throw new Error(`POST /bus/replay answered ${response.status}: ${await response.text()}`);
  await until(async () => (await stack.b.probes.total()) >= events, 900_000, 'B rebuilding its projection', 50);
  const ms = now() - started;
  log(`replay: ${events} events rebuilt in ${Math.round(ms)} ms`);
  return { events, ms, perSecond: (events * 1000) / ms };
}
