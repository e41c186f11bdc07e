import { OutgoingEvent } from '@app/bus';
import { FixedLoadOptions, LatencySample, ThroughputFigure, fixedLoad } from './kafka-raw';
import { balancedStreams, note, probeEvent } from './payload';
import { BenchStack } from './stack';
import { log, now, percentile, realtimeOffset, sleep } from './util';

/**
 * Region A's service runs in this process, region B's in a process of its own (see stack.ts). What B committed is
 * read from B's database: its probe handler inserts a bus_probe row per probe in the inbox transaction, with
 * applied_at = clock_timestamp() at the insert. Times taken here are converted to the same real-time clock.
 */

/** Publishes `events` in one transaction of region A, through its outbox (the relay wakes on the commit). */
async function publish(stack: BenchStack, events: OutgoingEvent[]): Promise<string[]> {
  const { dataSource, publisher } = stack.a;
  return dataSource.transaction((manager) => publisher.publishMany(manager, events));
}

export interface BusThroughputOptions {
  seconds: number;
  batch: number;
  publishers: number;
  maxBacklog: number;
  noteBytes: number;
}

/**
 * `bus.e2e.throughput`: `publishers` loops each commit batches of `batch` probes through A's outbox for `seconds`,
 * staying at most `maxBacklog` events ahead of what B has committed (polled from B's database every 50 ms); the
 * figure is every event published divided by the time from the first publish to B's applying the last one (its
 * applied_at: relayed, verified, de-duplicated, applied). Each publisher has streams (keys) of its own spread
 * evenly over the partitions, so each stream's numbers are committed in order and B can check that it applied
 * them in order.
 */
export async function busThroughput(stack: BenchStack, options: BusThroughputOptions): Promise<ThroughputFigure> {
  const { probes } = stack.b;
  const prefix = `tp-${stack.runId}`;
  const streams = balancedStreams(prefix, 2 * options.publishers);
  const text = note(options.noteBytes);
  let published = 0;
  let applied = 0;
  const offset = realtimeOffset();
  const started = now();
  const stopAt = started + options.seconds * 1000;

  let publishing = true;
  const poller = (async () => {
    while (publishing) {
      applied = await probes.appliedInOrder(streams);
      await sleep(50);
    }
  })();
  const publisher = async (index: number) => {
    const own = streams.filter((_, i) => i % options.publishers === index);
    const counters = new Map<string, number>(own.map((stream) => [stream, 0]));
    let cursor = 0;
    while (publishing && now() < stopAt) {
      if (published - applied > options.maxBacklog) {
        await sleep(2);
        continue;
      }
      const events = Array.from({ length: options.batch }, () => {
        const stream = own[cursor++ % own.length];
        const n = counters.get(stream)! + 1;
        counters.set(stream, n);
        return probeEvent(stream, n, text);
      });
      await publish(stack, events);
      published += events.length;
    }
  };
  try {
    // The poller only ends by `publishing` turning false, or by failing (B gone): then the publishers stop too.
    await Promise.race([
      Promise.all(Array.from({ length: options.publishers }, (_, i) => publisher(i))),
      poller.then(() => Promise.reject(new Error('the poll of B stopped'))),
    ]);
  } finally {
    publishing = false;
    await poller.catch(() => undefined);
  }
  const publishedMs = now() - started;
  await probes.waitApplied(streams, published, { ordered: true, timeoutMs: 300_000, what: 'region B applying' });
  const ms = (await probes.lastAppliedAt(streams)) - (started + offset);
  log(
    `bus throughput: ${published} events published in ${Math.round(publishedMs)} ms, ` +
      `all applied in B after ${Math.round(ms)} ms`,
  );
  await probes.checkDelivered(prefix, published, true);
  return { events: published, ms, perSecond: (published * 1000) / ms };
}

/**
 * `bus.e2e.p50/p99`: one transaction of A per tick (rate × tickMs / 1000 probes on one key) on a fixed schedule;
 * each probe's latency is from the moment A's commit returned (taken here) to B's commit of the inbox transaction
 * that applied it: the last applied_at in B's bus_probe of that transaction (rows grouped by xmin), i.e. its last
 * handler insert, one round trip before its COMMIT. Both ends are on the machine's real-time clock.
 */
let latencyRuns = 0;

export async function busLatency(
  stack: BenchStack,
  options: FixedLoadOptions & { noteBytes: number },
): Promise<LatencySample> {
  const { probes } = stack.b;
  // Each call its own streams: several benchmarks of one run measure this baseline.
  const prefix = `lat${++latencyRuns}-${stack.runId}`;
  const streams = balancedStreams(prefix, 4);
  const text = note(options.noteBytes);
  const counters = new Map<string, number>();
  const committedAt = new Map<string, number>();
  const eventIds = new Map<string, string>();
  let published = 0;

  const send = async (measured: boolean, tick: number, count: number) => {
    const stream = streams[tick % streams.length];
    const events = Array.from({ length: count }, () => {
      const n = (counters.get(stream) ?? 0) + 1;
      counters.set(stream, n);
      return probeEvent(stream, n, text);
    });
    const ids = await publish(stack, events);
    const at = now();
    published += events.length;
    if (!measured) return;
    events.forEach((event, i) => {
      committedAt.set(event.data.probeId, at);
      eventIds.set(event.data.probeId, ids[i]);
    });
  };

  const offset = realtimeOffset();
  await fixedLoad(options, options.warmupSeconds, (tick, count) => send(false, tick, count));
  await fixedLoad(options, options.seconds, (tick, count) => send(true, tick, count));
  // Ticks overlap (an open loop), so two transactions of one stream may commit out of their order: count the rows.
  await probes.waitApplied(streams, published, { ordered: false, timeoutMs: 60_000, what: 'region B applying' });
  await probes.checkDelivered(prefix, published, false);
  const drift = realtimeOffset() - offset;
  if (Math.abs(drift) > 1) log(`note: the monotonic clock drifted ${drift.toFixed(2)} ms from the real-time clock`);

  const applied = await probes.appliedTimes(streams);
  const latencies: number[] = [];
  const rowLatencies: number[] = [];
  for (const [id, at] of committedAt) {
    const probe = applied.get(id);
    if (!probe) throw new Error(`probe ${id} is not in B's bus_probe`);
    latencies.push(probe.txMs - (at + offset));
    rowLatencies.push(probe.rowMs - (at + offset));
  }
  log(
    `bus latency to the probe's own insert in B (applied_at, before the rest of its batch): ` +
      `p50 ${percentile(rowLatencies, 50).toFixed(1)} ms, p99 ${percentile(rowLatencies, 99).toFixed(1)} ms`,
  );
  // A cross-check from B's table alone: applied_at − sent_at (the event time, set before A's commit).
  const db = await probes.eventTimeLatency(prefix);
  log(
    `bus latency cross-check from B's bus_probe (applied_at - sent_at, warm-up included): ` +
      `p50 ${db.p50.toFixed(1)} ms, p99 ${db.p99.toFixed(1)} ms`,
  );
  await logStages(stack, committedAt, eventIds, applied, offset);
  return { latencies, sent: committedAt.size };
}

/**
 * Where the latency goes, per probe: A's commit → the relay's claim (bus_outbox.sent_at in A: now() of the relay's
 * transaction, which then signs and sends) → B's inbox transaction starts (bus_inbox.applied_at: now() of that
 * transaction; Kafka, fetch, verify) → B's last handler insert of that transaction (apply).
 */
async function logStages(
  stack: BenchStack,
  committedAt: Map<string, number>,
  eventIds: Map<string, string>,
  applied: Map<string, { txMs: number; txStartMs?: number }>,
  offset: number,
): Promise<void> {
  const rows = await stack.a.dataSource.query<{ id: string; ms: string | null }[]>(
    `select event_id::text as id, extract(epoch from sent_at) * 1000 as ms from bus_outbox where event_id = any($1::uuid[])`,
    [[...eventIds.values()]],
  );
  const claimedAt = new Map(rows.map((row) => [row.id, row.ms === null ? Number.NaN : Number(row.ms)]));
  const relay: number[] = [];
  const transport: number[] = [];
  const apply: number[] = [];
  for (const [probeId, committed] of committedAt) {
    const claimed = claimedAt.get(eventIds.get(probeId)!) ?? Number.NaN;
    const probe = applied.get(probeId);
    if (!probe || probe.txStartMs === undefined || Number.isNaN(claimed)) continue;
    relay.push(claimed - (committed + offset));
    transport.push(probe.txStartMs - claimed);
    apply.push(probe.txMs - probe.txStartMs);
  }
  const show = (label: string, sample: number[]) =>
    `${label} p50 ${percentile(sample, 50).toFixed(1)} / p99 ${percentile(sample, 99).toFixed(1)} ms`;
  log(
    `latency stages of ${relay.length} probes: ${show('A commit → relay claims', relay)}; ` +
      `${show('claim → B inbox transaction starts (sign, send, Kafka, fetch, verify)', transport)}; ` +
      `${show('B inbox transaction → last insert', apply)}`,
  );
}
