import { OutgoingEvent } from '@app/bus';
import { FixedLoadOptions, LatencySample, ThroughputFigure, fixedLoad } from './kafka-raw';
import { balancedStreams, note, probeEvent } from './payload';
import { BenchStack } from './stack';
import { PhaseTracer } from './trace';
import { log, now, percentile, sleep, until } from './util';

/** Publishes `events` in one transaction of region A, through its outbox (the relay wakes on the commit). */
async function publish(stack: BenchStack, events: OutgoingEvent[]): Promise<void> {
  const { dataSource, publisher } = stack.a;
  await dataSource.transaction(async (manager) => {
    await publisher.publishMany(manager, events);
  });
}

/** Waits until region B has committed `expected` more probes than it had at `base`; returns that moment. */
async function appliedInB(stack: BenchStack, base: number, expected: number, timeoutMs: number): Promise<number> {
  await until(() => stack.tracker.committed - base >= expected, timeoutMs, `region B applying ${expected} events`, 2);
  return now();
}

/** What B's own tables say about a run's probes: every one applied once, none dead-lettered, each stream in order. */
export async function checkDelivered(stack: BenchStack, streamPrefix: string, expected: number, ordered: boolean) {
  const [row] = await stack.b.dataSource.query<{ applied: number; distinct_ids: number; out_of_order: number }[]>(
    `select count(*)::int as applied, count(distinct probe_id)::int as distinct_ids,
            count(*) filter (where previous is not null and n <> previous + 1)::int as out_of_order
       from (select probe_id, n, lag(n) over (partition by stream order by apply_order) as previous
               from bus_probe where stream like $1) p`,
    [`${streamPrefix}%`],
  );
  const [{ dead }] = await stack.b.dataSource.query<{ dead: number }[]>(
    'select count(*)::int as dead from bus_dead_letter',
  );
  const problems: string[] = [];
  if (row.applied !== expected) problems.push(`${row.applied} probes in B's bus_probe, expected ${expected}`);
  if (row.distinct_ids !== row.applied) problems.push(`${row.applied - row.distinct_ids} applied twice`);
  if (ordered && row.out_of_order > 0) problems.push(`${row.out_of_order} applied out of order`);
  if (dead > 0) problems.push(`${dead} dead letters in B`);
  if (problems.length > 0) throw new Error(`delivery check of ${streamPrefix}*: ${problems.join('; ')}`);
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
 * staying at most `maxBacklog` events ahead of what B has committed; the figure is every event published divided
 * by the time from the first publish to B's commit of the last one (relayed, verified, de-duplicated, applied).
 * Each publisher has streams (keys) of its own spread evenly over the partitions, so each stream's numbers are
 * committed in order and B can check that it applied them in order.
 */
export async function busThroughput(stack: BenchStack, options: BusThroughputOptions): Promise<ThroughputFigure> {
  const prefix = `tp-${stack.runId}`;
  const streams = balancedStreams(prefix, 2 * options.publishers);
  const text = note(options.noteBytes);
  const base = stack.tracker.committed;
  let published = 0;
  const started = now();
  const stopAt = started + options.seconds * 1000;

  const publisher = async (index: number) => {
    const own = streams.filter((_, i) => i % options.publishers === index);
    const counters = new Map<string, number>(own.map((stream) => [stream, 0]));
    let cursor = 0;
    while (now() < stopAt) {
      if (published - (stack.tracker.committed - base) > options.maxBacklog) {
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
  await Promise.all(Array.from({ length: options.publishers }, (_, i) => publisher(i)));
  const publishedMs = now() - started;
  const done = await appliedInB(stack, base, published, 300_000);
  const ms = done - started;
  log(
    `bus throughput: ${published} events published in ${Math.round(publishedMs)} ms, ` +
      `all applied in B after ${Math.round(ms)} ms`,
  );
  await checkDelivered(stack, prefix, published, true);
  return { events: published, ms, perSecond: (published * 1000) / ms };
}

/**
 * `bus.e2e.p50/p99`: one transaction of A per tick (rate × tickMs / 1000 probes on one key) on a fixed schedule;
 * each probe's latency is from the moment A's commit returned to the commit of B's inbox transaction that applied
 * it (seen by a TypeORM subscriber on B's data source: the probe handler's insert, then that transaction's commit).
 * Both ends are read from one monotonic clock in this process.
 */
export async function busLatency(
  stack: BenchStack,
  options: FixedLoadOptions & { noteBytes: number },
  tracer?: PhaseTracer,
): Promise<LatencySample> {
  const prefix = `lat-${stack.runId}`;
  const streams = balancedStreams(prefix, 4);
  const text = note(options.noteBytes);
  const counters = new Map<string, number>();
  const committedAt = new Map<string, number>();
  const base = stack.tracker.committed;
  let published = 0;

  const send = async (measured: boolean, tick: number, count: number) => {
    const stream = streams[tick % streams.length];
    const events = Array.from({ length: count }, () => {
      const n = (counters.get(stream) ?? 0) + 1;
      counters.set(stream, n);
      return probeEvent(stream, n, text);
    });
    await publish(stack, events);
    const at = now();
    published += events.length;
    if (measured) for (const event of events) committedAt.set(event.data.probeId, at);
  };

  stack.tracker.commitTimes.clear();
  stack.tracker.stamp = true;
  if (tracer) tracer.recordStages = true;
  try {
    await fixedLoad(options, options.warmupSeconds, (tick, count) => send(false, tick, count));
    await fixedLoad(options, options.seconds, (tick, count) => send(true, tick, count));
    await appliedInB(stack, base, published, 60_000);
  } finally {
    stack.tracker.stamp = false;
    if (tracer) tracer.recordStages = false;
  }
  if (tracer) logStages(committedAt, stack.tracker.commitTimes, tracer);
  const latencies = [...committedAt.entries()].map(([id, at]) => stack.tracker.commitTimes.get(id)! - at);
  await checkDelivered(stack, prefix, published, false);

  // A cross-check from B's table: applied_at (inside B's transaction) − sent_at (the event time, set before A's
  // commit), so it differs from the figure above by A's commit and B's commit.
  const [db] = await stack.b.dataSource.query<{ p50: number; p99: number }[]>(
    `select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.99) within group (order by ms) as p99
       from (select extract(epoch from applied_at - sent_at) * 1000 as ms from bus_probe where stream like $1) l`,
    [`${prefix}%`],
  );
  log(
    `bus latency cross-check from B's bus_probe (applied_at - sent_at, warm-up included): ` +
      `p50 ${Number(db.p50).toFixed(1)} ms, p99 ${Number(db.p99).toFixed(1)} ms`,
  );
  stack.tracker.commitTimes.clear();
  return { latencies, sent: committedAt.size };
}

/** Where the latency goes, per probe: A's commit → relay's send → B's inbox transaction starts → B's commit. */
function logStages(committedAt: Map<string, number>, appliedAt: Map<string, number>, tracer: PhaseTracer): void {
  const relay: number[] = [];
  const transport: number[] = [];
  const apply: number[] = [];
  for (const [id, committed] of committedAt) {
    const stage = tracer.stages.get(id);
    const applied = appliedAt.get(id);
    if (!stage || applied === undefined || Number.isNaN(stage.produced)) continue;
    relay.push(stage.produced - committed);
    transport.push(stage.applyStart - stage.produced);
    apply.push(applied - stage.applyStart);
  }
  const show = (label: string, sample: number[]) =>
    `${label} p50 ${percentile(sample, 50).toFixed(1)} / p99 ${percentile(sample, 99).toFixed(1)} ms`;
  log(
    `latency stages of ${relay.length} probes (ms resolution at the Kafka timestamp): ` +
      `${show('A commit → relay send', relay)}; ${show('send → B inbox starts (Kafka, fetch, verify)', transport)}; ` +
      `${show('B inbox transaction → commit', apply)}`,
  );
  tracer.stages.clear();
}
