import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { busLatency, busThroughput } from './bus-e2e';
import { CpuMeter } from './cpu';
import { debeziumOutbox } from './debezium';
import { healthBenchmarks } from './health';
import { LatencySample, ThroughputFigure, rawLatency, rawThroughput } from './kafka-raw';
import { labReuse } from './lab';
import { ledgerAgreement, ledgerDeclare } from './ledger';
import { busTxThroughput, outboxCommitBaseline } from './outbox-tx';
import { claimBench, statusQueryBench } from './talent';
import { balancedStreams, note, probeEvent } from './payload';
import { policeSse } from './police';
import { BenchReport, BenchResult, comparison, readReport, table, writeReport } from './report';
import { replayThroughput } from './replay';
import { BenchStack } from './stack';
import { stackTopology } from './topology';
import { PhaseProfiler, PhaseTracer } from './trace';
import { ChildMemorySampler, MemoryPeak, MemorySampler, envInt, log, now, percentile, round } from './util';

/**
 * `npm run bench [-- [--compare <results.json>] <name-prefix> ...]`: the bus's figures, each beside its baseline measured in the same run on
 * the same broker and database server. Region A's service (the publisher: outbox and relay) runs in this process,
 * driven directly; region B's (the consumer: verify and inbox) in a process of its own, as in production, read
 * through its database. Durations and loads come from the environment (see `settings`);
 * BENCH_QUICK=1 is a smoke run of a few seconds per phase. BENCH_TRACE=1 prints where each bus phase spends its
 * time (A's spans in this process, B's inbox transactions from its database); BENCH_PROFILE=<phase prefix>[,...]
 * writes a CPU profile of this process (region A) for the matching phases next to the results. Each phase's CPU
 * line gives the cores of A, B, PostgreSQL and Kafka, and how busy A's and B's event loops were.
 */

const quick = process.env.BENCH_QUICK === '1';
const settings = {
  /** bus.e2e.throughput: at least 30 s sustained (the issue). */
  throughputSeconds: envInt('BENCH_SECONDS', quick ? 5 : 30),
  rawSeconds: envInt('BENCH_RAW_SECONDS', envInt('BENCH_SECONDS', quick ? 5 : 30)),
  txSeconds: envInt('BENCH_TX_SECONDS', quick ? 3 : 15),
  latencySeconds: envInt('BENCH_LATENCY_SECONDS', quick ? 3 : 20),
  warmupSeconds: envInt('BENCH_WARMUP_SECONDS', quick ? 1 : 3, 0),
  /** Offered load of the latency phases, events/s, and how often a batch of it is sent. */
  rate: envInt('BENCH_RATE', 1000),
  tickMs: envInt('BENCH_TICK_MS', 10),
  /** Events per outbox transaction in the throughput phase, and concurrent publishers. */
  batch: envInt('BENCH_BATCH', 500),
  publishers: envInt('BENCH_PUBLISHERS', 2),
  /** How far (events) publishers may run ahead of what the receiver has committed. */
  maxBacklog: envInt('BENCH_MAX_BACKLOG', 20_000),
  /** Concurrent business writers of the tx phases, and the accounts they update. */
  writers: envInt('BENCH_WRITERS', 16),
  accounts: envInt('BENCH_ACCOUNTS', 10_000),
  /** Size of the probe's free-text note: the payload is about this plus 120 bytes of JSON. */
  noteBytes: envInt('BENCH_NOTE_BYTES', 300, 0),
};
/** The relay's batch size (OutboxRelay BATCH_SIZE): the raw baseline sends batches of the same size. */
const RELAY_BATCH = 1000;

interface Context {
  stack: BenchStack;
  /** This process's memory (region A), and region B's service process's. */
  sampler: MemorySampler;
  bMemory: ChildMemorySampler;
  cpu: CpuMeter;
  tracer?: PhaseTracer;
  /** Phases to profile: name prefixes. */
  profile: string[];
  resultsDir: string;
  /** kafka.raw.throughput, measured once per run by the first group that needs it. */
  raw?: ThroughputFigure;
}

/** Runs one measured phase: memory peak, and the optional trace and CPU profile, cover exactly this phase. */
async function phase<T>(ctx: Context, name: string, run: () => Promise<T>): Promise<T> {
  log(`${name} ...`);
  const profiler = ctx.profile.some((prefix) => name.startsWith(prefix)) ? new PhaseProfiler() : undefined;
  ctx.sampler.reset();
  ctx.bMemory.reset();
  ctx.cpu.begin();
  ctx.tracer?.start();
  await profiler?.start();
  try {
    return await run();
  } finally {
    log(`${name}: ${ctx.cpu.end()}`);
    await profiler?.stop(join(ctx.resultsDir, `${name}.cpuprofile.json`));
    if (name.startsWith('bus')) await ctx.tracer?.print(name);
  }
}

function latencyResults(raw: LatencySample, bus: LatencySample): BenchResult[] {
  const figure = (sample: LatencySample, p: number) => round(percentile(sample.latencies, p), 1);
  log(
    `latency samples: raw ${raw.sent}, bus ${bus.sent}; max raw ${figure(raw, 100)} ms, bus ${figure(bus, 100)} ms; ` +
      `p90 raw ${figure(raw, 90)} ms, bus ${figure(bus, 90)} ms`,
  );
  return [
    { name: 'kafka.raw.p50', value: figure(raw, 50), unit: 'ms' },
    { name: 'kafka.raw.p99', value: figure(raw, 99), unit: 'ms' },
    {
      name: 'bus.e2e.p50',
      value: figure(bus, 50),
      unit: 'ms',
      baseline: { name: 'kafka.raw.p50', value: figure(raw, 50) },
    },
    {
      name: 'bus.e2e.p99',
      value: figure(bus, 99),
      unit: 'ms',
      baseline: { name: 'kafka.raw.p99', value: figure(raw, 99) },
    },
  ];
}

interface Group {
  names: string[];
  run(ctx: Context): Promise<BenchResult[]>;
}

/** In the order they run: the light latency phases on a fresh system, the long throughput phases last. */
const GROUPS: Group[] = [
  {
    names: ['kafka.raw.p50', 'kafka.raw.p99', 'bus.e2e.p50', 'bus.e2e.p99'],
    async run(ctx) {
      const load = {
        rate: settings.rate,
        tickMs: settings.tickMs,
        seconds: settings.latencySeconds,
        warmupSeconds: settings.warmupSeconds,
        noteBytes: settings.noteBytes,
      };
      const raw = await phase(ctx, 'kafka.raw.latency', () => rawLatency(ctx.stack, load));
      const bus = await phase(ctx, 'bus.e2e.latency', () => busLatency(ctx.stack, load));
      return latencyResults(raw, bus);
    },
  },
  {
    names: ['health.replication.p50', 'health.replication.p99', 'health.read.p99', 'pg.select.p99'],
    run: (ctx) =>
      phase(ctx, 'health', () =>
        healthBenchmarks(ctx.stack, {
          seconds: envInt('BENCH_HEALTH_SECONDS', quick ? 5 : 20),
          warmupSeconds: settings.warmupSeconds,
          replicationRate: envInt('BENCH_HEALTH_RATE', 200),
          readRate: envInt('BENCH_HEALTH_READ_RATE', 500),
          connections: envInt('BENCH_HEALTH_CONNECTIONS', 20),
          tickMs: settings.tickMs,
          patients: envInt('BENCH_HEALTH_PATIENTS', 100),
        }),
      ),
  },
  {
    names: ['pg.outbox.commit.throughput', 'bus.e2e.tx.throughput'],
    async run(ctx) {
      const options = {
        seconds: settings.txSeconds,
        writers: settings.writers,
        accounts: settings.accounts,
        noteBytes: settings.noteBytes,
      };
      const base = await phase(ctx, 'pg.outbox.commit.throughput', () => outboxCommitBaseline(ctx.stack, options));
      const bus = await phase(ctx, 'bus.e2e.tx.throughput', () => busTxThroughput(ctx.stack, options));
      const baseline = { name: 'pg.outbox.commit.throughput', value: Math.round(base.perSecond) };
      return [
        { name: baseline.name, value: baseline.value, unit: 'events/s' },
        { name: 'bus.e2e.tx.throughput', value: Math.round(bus.perSecond), unit: 'events/s', baseline },
      ];
    },
  },
  {
    names: [
      'kafka.raw.throughput',
      'bus.e2e.throughput',
      'kafka.raw.rss.peak',
      'kafka.raw.heap.peak',
      'bus.e2e.rss.peak',
      'bus.e2e.heap.peak',
    ],
    async run(ctx) {
      const raw = await rawBaseline(ctx);
      const rawMemory = ctx.sampler.read();
      const bus = await phase(ctx, 'bus.e2e.throughput', () =>
        busThroughput(ctx.stack, {
          seconds: settings.throughputSeconds,
          batch: settings.batch,
          publishers: settings.publishers,
          maxBacklog: settings.maxBacklog,
          noteBytes: settings.noteBytes,
        }),
      );
      const busMemory = sumOf(ctx.sampler.read(), await ctx.bMemory.read(), 'bus.e2e.throughput');
      const baseline = { name: 'kafka.raw.throughput', value: Math.round(raw.perSecond) };
      return [
        { name: baseline.name, value: baseline.value, unit: 'events/s' },
        { name: 'bus.e2e.throughput', value: Math.round(bus.perSecond), unit: 'events/s', baseline },
        { name: 'kafka.raw.rss.peak', value: rawMemory.rssMb, unit: 'MB' },
        {
          name: 'bus.e2e.rss.peak',
          value: busMemory.rssMb,
          unit: 'MB',
          baseline: { name: 'kafka.raw.rss.peak', value: rawMemory.rssMb },
        },
        { name: 'kafka.raw.heap.peak', value: rawMemory.heapUsedMb, unit: 'MB' },
        {
          name: 'bus.e2e.heap.peak',
          value: busMemory.heapUsedMb,
          unit: 'MB',
          baseline: { name: 'kafka.raw.heap.peak', value: rawMemory.heapUsedMb },
        },
      ];
    },
  },
  {
    names: ['bus.replay.throughput'],
    async run(ctx) {
      const raw = await rawBaseline(ctx);
      const replay = await phase(ctx, 'bus.replay.throughput', () =>
        replayThroughput(ctx.stack, {
          events: envInt('BENCH_REPLAY_EVENTS', quick ? 10_000 : 100_000),
          noteBytes: settings.noteBytes,
        }),
      );
      return [
        {
          name: 'bus.replay.throughput',
          value: Math.round(replay.perSecond),
          unit: 'events/s',
          baseline: { name: 'kafka.raw.throughput', value: Math.round(raw.perSecond) },
        },
      ];
    },
  },
  {
    names: [
      'stack.single.p50',
      'stack.single.p99',
      'stack.federated.p50',
      'stack.federated.p99',
      'stack.startup',
      'stack.rss',
      'stack.rss.per-service',
    ],
    run: (ctx) =>
      phase(ctx, 'stack.topology', () =>
        stackTopology({
          seconds: envInt('BENCH_STACK_SECONDS', quick ? 5 : 20),
          rate: envInt('BENCH_STACK_RATE', 20),
          warmupSeconds: envInt('BENCH_STACK_WARMUP_SECONDS', quick ? 2 : 10),
          postgresUrl: ctx.stack.postgresUrl,
        }),
      ),
  },
  {
    names: [
      'police.sse.p50',
      'police.sse.p99',
      'police.sse.max',
      'police.sse.rss',
      'police.sse.reported.p50',
      'police.sse.reported.p99',
    ],
    run: (ctx) =>
      phase(ctx, 'police.sse', () =>
        policeSse(ctx.stack, {
          subscribers: envInt('BENCH_POLICE_SUBSCRIBERS', 1000),
          rate: envInt('BENCH_POLICE_RATE', 5),
          seconds: envInt('BENCH_POLICE_SECONDS', quick ? 5 : 20),
          warmupSeconds: settings.warmupSeconds,
          persons: true,
        }),
      ),
  },
  {
    names: ['ledger.merkle.root', 'ledger.agreement'],
    run: (ctx) =>
      phase(ctx, 'ledger.agreement', () =>
        ledgerAgreement(ctx.stack, {
          entries: envInt('BENCH_LEDGER_ENTRIES', quick ? 2000 : 100_000),
          batch: envInt('BENCH_LEDGER_BATCH', 500),
        }),
      ),
  },
  {
    names: ['ledger.project.read.p99', 'ledger.declare.p99'],
    run: (ctx) =>
      phase(ctx, 'ledger.declare', () =>
        ledgerDeclare(ctx.stack, {
          rate: envInt('BENCH_LEDGER_RATE', 50),
          seconds: envInt('BENCH_LEDGER_SECONDS', quick ? 5 : 20),
        }),
      ),
  },
  {
    names: ['pg.lab.select.p50', 'pg.lab.select.p99', 'lab.reuse.p50', 'lab.reuse.p99'],
    run: (ctx) =>
      phase(ctx, 'lab.reuse', () =>
        labReuse(ctx.stack, {
          seconds: envInt('BENCH_LAB_SECONDS', quick ? 5 : 20),
          rate: envInt('BENCH_LAB_RATE', 200),
          connections: envInt('BENCH_LAB_CONNECTIONS', 16),
          reports: 200,
          otherReports: 50,
        }),
      ),
  },
  {
    names: [
      'http.pg.select.throughput',
      'http.pg.select.p99',
      'talent.status.throughput',
      'talent.status.p99',
      'talent.status.hit.throughput',
      'talent.status.hit.p99',
      'bus.probe.p50',
      'bus.probe.p99',
      'talent.claim.p50',
      'talent.claim.p99',
    ],
    async run(ctx) {
      const options = {
        people: envInt('BENCH_TALENT_PEOPLE', 100_000),
        stepSeconds: envInt('BENCH_TALENT_STEP_SECONDS', quick ? 2 : 5),
        connections: [4, 8, 16, 32, 64],
        p99BudgetMs: 50,
        p99Connections: 16,
        claimRounds: envInt('BENCH_TALENT_CLAIMS', quick ? 50 : 200),
        claimRate: envInt('BENCH_TALENT_CLAIM_RATE', 10),
      };
      const claims = await phase(ctx, 'talent.claim', () => claimBench(ctx.stack, options));
      return [...(await phase(ctx, 'talent.status', () => statusQueryBench(ctx.stack, options))), ...claims];
    },
  },
  {
    // The peer: Debezium's outbox event router, at the bus's own loads; main() sets the bus's figures beside it.
    names: ['debezium.outbox.throughput', 'debezium.outbox.p50', 'debezium.outbox.p99'],
    async run(ctx) {
      const figures = await phase(ctx, 'debezium.outbox', () =>
        debeziumOutbox(ctx.stack, {
          writers: settings.publishers,
          batch: settings.batch,
          seconds: settings.throughputSeconds,
          maxBacklog: settings.maxBacklog,
          rate: settings.rate,
          tickMs: settings.tickMs,
          latencySeconds: settings.latencySeconds,
          warmupSeconds: settings.warmupSeconds,
          noteBytes: settings.noteBytes,
        }),
      );
      log(`debezium.outbox: Debezium ${figures.version}`);
      const p = (q: number) => round(percentile(figures.latencies, q), 1);
      return [
        { name: 'debezium.outbox.throughput', value: Math.round(figures.perSecond), unit: 'events/s' },
        { name: 'debezium.outbox.p50', value: p(50), unit: 'ms' },
        { name: 'debezium.outbox.p99', value: p(99), unit: 'ms' },
      ];
    },
  },
];

/** The bus's own figure that each of Debezium's is reported beside, when both ran. */
const PEER_OF: Record<string, string> = {
  'debezium.outbox.throughput': 'bus.e2e.throughput',
  'debezium.outbox.p50': 'bus.e2e.p50',
  'debezium.outbox.p99': 'bus.e2e.p99',
};

function besideTheBus(results: BenchResult[]): BenchResult[] {
  return results.map((result) => {
    const bus = results.find((r) => r.name === PEER_OF[result.name]);
    return bus ? { ...result, baseline: { name: bus.name, value: bus.value } } : result;
  });
}

/** The raw Kafka throughput baseline, measured the first time a group needs it in this run. */
async function rawBaseline(ctx: Context): Promise<ThroughputFigure> {
  ctx.raw ??= await phase(ctx, 'kafka.raw.throughput', () =>
    rawThroughput(ctx.stack, {
      seconds: settings.rawSeconds,
      batch: RELAY_BATCH,
      maxBacklog: settings.maxBacklog,
      noteBytes: settings.noteBytes,
    }),
  );
  return ctx.raw;
}

/**
 * Sends a few thousand probes through the whole path before anything is measured: B's consumer has joined its
 * group and been assigned the partitions, connections and producers exist, and the JIT has seen the hot code.
 */
async function warmUp(stack: BenchStack): Promise<void> {
  const started = now();
  const streams = balancedStreams(`warm-${stack.runId}`, 2);
  const text = note(settings.noteBytes);
  const total = quick ? 500 : 3000;
  const counters = new Map<string, number>();
  for (let sent = 0; sent < total; sent += 100) {
    const events = Array.from({ length: 100 }, (_, i) => {
      const stream = streams[i % streams.length];
      const n = (counters.get(stream) ?? 0) + 1;
      counters.set(stream, n);
      return probeEvent(stream, n, text);
    });
    await stack.a.dataSource.transaction((manager) => stack.a.publisher.publishMany(manager, events));
  }
  await stack.b.probes.waitApplied(streams, total, { ordered: true, timeoutMs: 90_000, what: 'warm-up probes in B' });
  log(`warm-up: ${total} probes from ${stack.a.name} applied in ${stack.b.name} in ${Math.round(now() - started)} ms`);
}

function selectGroups(prefixes: string[]): Group[] {
  if (prefixes.length === 0) return GROUPS;
  const selected = GROUPS.filter((group) => group.names.some((name) => prefixes.some((p) => name.startsWith(p))));
  if (selected.length === 0) {
    const all = GROUPS.flatMap((group) => group.names).join(', ');
    throw new Error(`no benchmark matches ${prefixes.join(', ')}; the names are ${all}`);
  }
  return selected;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: { compare: { type: 'string' } },
    allowPositionals: true,
  });
  // Read before the run: a wrong path fails at once, not after half an hour of measuring.
  const earlier = values.compare ? readReport(values.compare) : undefined;
  const groups = selectGroups(positionals);
  const stack = new BenchStack();
  const resultsDir = join(stack.root, 'bench', 'results');
  const sampler = new MemorySampler();
  let bMemory: ChildMemorySampler | undefined;
  let cpu: CpuMeter | undefined;
  let stopping = false;
  const interrupted = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: cleaning up`);
    void stack.stop().finally(() => process.exit(130));
  };
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);

  try {
    log(`settings: ${JSON.stringify(settings)}`);
    await stack.start();
    cpu = new CpuMeter(stack.kafkaPid, stack.b.process.pid);
    bMemory = new ChildMemorySampler(stack.b.process.pid, `${stack.b.process.url}/metrics`);
    const ctx: Context = {
      stack,
      sampler,
      bMemory,
      cpu,
      resultsDir,
      profile: (process.env.BENCH_PROFILE ?? '').split(',').filter(Boolean),
      tracer: process.env.BENCH_TRACE === '1' ? new PhaseTracer(stack.a, stack.b) : undefined,
    };
    await warmUp(stack);
    const results: BenchResult[] = [];
    for (const group of groups) {
      // A subset still reports each figure's baseline: it was measured with it.
      results.push(...(await group.run(ctx)).sort(byName));
    }
    const report: BenchReport = {
      machine: { cores: cpus().length, node: process.version, kafka: stack.kafkaVersion },
      results: besideTheBus(results),
    };
    const file = join(resultsDir, 'latest.json');
    writeReport(file, report);
    process.stdout.write(
      `\nShuanglai Bus benchmark · ${report.machine.cores} cores · Node ${report.machine.node} · ` +
        `Kafka ${report.machine.kafka}\n\n${table(report.results)}\n\nwritten to ${file}\n`,
    );
    if (earlier) {
      process.stdout.write(`\nagainst ${values.compare}:\n\n${comparison(report.results, earlier.results)}\n`);
    }
    return 0;
  } catch (error) {
    log(`FAILED: ${(error as Error).stack ?? String(error)}`);
    return 1;
  } finally {
    sampler.stop();
    bMemory?.stop();
    cpu?.stop();
    stopping = true;
    await stack.stop();
  }
}

/**
 * The bus's memory: region A's service (this process, with the benchmark's loops) plus region B's (its own
 * process), each at its own peak during the phase; they shared one process before B had its own.
 */
function sumOf(a: MemoryPeak, b: MemoryPeak, phase: string): MemoryPeak {
  log(
    `${phase} memory peaks: A (this process) RSS ${a.rssMb} MB, heap ${a.heapUsedMb} MB; ` +
      `B (its own process) RSS ${b.rssMb} MB, heap ${b.heapUsedMb} MB`,
  );
  return { rssMb: round(a.rssMb + b.rssMb), heapUsedMb: round(a.heapUsedMb + b.heapUsedMb) };
}

/** Baselines first, then what is measured against them. */
function byName(a: BenchResult, b: BenchResult): number {
  return Number(a.baseline !== undefined) - Number(b.baseline !== undefined);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    log(`FAILED: ${error.message}`);
    process.exit(1);
  },
);
