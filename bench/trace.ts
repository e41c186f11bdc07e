import { writeFileSync } from 'node:fs';
import { Profiler, Session } from 'node:inspector/promises';
import { AfterQueryEvent, EntitySubscriberInterface } from 'typeorm';
import { BusPublisher, EventSigner, OutboxRelay } from '@app/bus';
import { RegionApp, RegionProcess } from './stack';
import { log, now, realtimeOffset, round } from './util';

interface Span {
  calls: number;
  items: number;
  ms: number;
  maxMs: number;
}

/** Adds up time spent in named spans; `report()` lists them by total time. */
class Spans {
  private readonly spans = new Map<string, Span>();

  add(name: string, ms: number, items = 1): void {
    const span = this.spans.get(name) ?? { calls: 0, items: 0, ms: 0, maxMs: 0 };
    span.calls += 1;
    span.items += items;
    span.ms += ms;
    span.maxMs = Math.max(span.maxMs, ms);
    this.spans.set(name, span);
  }

  reset(): void {
    this.spans.clear();
  }

  report(wallMs: number, events: number): string[] {
    return [...this.spans.entries()]
      .sort(([, a], [, b]) => b.ms - a.ms)
      .map(
        ([name, span]) =>
          `${name.padEnd(58)} ${String(span.calls).padStart(8)} calls ${String(span.items).padStart(9)} items ` +
          `${round(span.ms, 0).toString().padStart(8)} ms (${round((100 * span.ms) / wallMs)}% of wall, ` +
          `${round((1000 * span.ms) / Math.max(events, 1), 1)} µs/event; longest ${round(span.maxMs, 1)} ms)`,
      );
  }
}

/** Time of every SQL statement of one data source, by its first words. */
class QueryTimer implements EntitySubscriberInterface {
  constructor(
    private readonly spans: Spans,
    private readonly label: string,
  ) {}

  afterQuery(event: AfterQueryEvent<unknown>): void {
    if (event.executionTime === undefined) return;
    const words = event.query.replace(/\s+/g, ' ').trim().split(' ').slice(0, 4).join(' ');
    this.spans.add(`${this.label} sql: ${words.slice(0, 40)}`, event.executionTime);
  }
}

/**
 * Opt-in instrumentation (BENCH_TRACE=1) of where a bus phase spends its time. In region A (this process): the
 * relay's passes, publishing, signing, and each SQL statement's round trip; it wraps public methods in this process
 * only (libs/ is not changed), so the figures of a traced run carry its small overhead. Region B runs in a process
 * of its own, untouched: its side is read afterwards from its database (its inbox transactions: how many, their
 * size, from their start to their last probe insert).
 */
export class PhaseTracer {
  private readonly spans = new Spans();
  private started = 0;
  private startedRealtime = 0;

  constructor(
    a: RegionApp,
    private readonly b: RegionProcess,
  ) {
    const spans = this.spans;
    a.dataSource.subscribers.push(new QueryTimer(spans, 'A'));

    const relay = a.app.get(OutboxRelay);
    const relayOnce = relay.relayOnce.bind(relay);
    relay.relayOnce = async () => {
      const start = now();
      const sent = await relayOnce();
      spans.add('A relay.relayOnce (claim, sign, send, mark)', now() - start, sent);
      return sent;
    };
    const publisher = a.app.get(BusPublisher);
    const publishMany = publisher.publishMany.bind(publisher);
    publisher.publishMany = async (manager, events) => {
      const start = now();
      const ids = await publishMany(manager, events);
      spans.add('A publisher.publishMany (validate, envelope, insert)', now() - start, events.length);
      return ids;
    };
    wrapPrototype(EventSigner.prototype, 'sign', (ms) => spans.add('A signer.sign (Ed25519)', ms));
  }

  start(): void {
    this.spans.reset();
    this.started = now();
    this.startedRealtime = this.started + realtimeOffset();
  }

  async print(phase: string): Promise<void> {
    const wall = now() - this.started;
    const events = await this.b.probes.appliedSince(this.startedRealtime);
    log(
      `trace of ${phase}: ${events} events applied in B in ${Math.round(wall)} ms (spans overlap: they run concurrently)`,
    );
    for (const line of this.spans.report(wall, events)) log(`  ${line}`);
    const tx = await this.b.probes.inboxTransactions(this.startedRealtime);
    log(
      `  B inbox transactions (from B's database): ${tx.transactions}, ${tx.events} probes, ` +
        `${round(tx.eventsP50, 0)} per transaction at p50 (max ${tx.eventsMax}); start → last insert ` +
        `p50 ${round(tx.msP50)} / p99 ${round(tx.msP99)} / max ${round(tx.msMax)} ms`,
    );
  }
}

function wrapPrototype<T extends object, K extends keyof T>(target: T, key: K, record: (ms: number) => void): void {
  const original = target[key];
  if (typeof original !== 'function') return;
  const fn = original as (...args: unknown[]) => unknown;
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const start = now();
    try {
      return fn.apply(this, args);
    } finally {
      record(now() - start);
    }
  };
  target[key] = wrapped as T[K];
}

/**
 * A CPU profile of one phase (BENCH_PROFILE=<name prefix>) of this process (region A and the benchmark's loops;
 * region B's own process is not profiled), written next to the results as <phase>.cpuprofile.json (load it in
 * Chrome DevTools), and summarised: self time by package and by function, inclusive time of the bus's own steps.
 */
export class PhaseProfiler {
  private session?: Session;

  async start(): Promise<void> {
    this.session = new Session();
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: 500 });
    await this.session.post('Profiler.start');
  }

  async stop(file: string): Promise<void> {
    if (!this.session) return;
    const { profile } = await this.session.post('Profiler.stop');
    this.session.disconnect();
    this.session = undefined;
    writeFileSync(file, JSON.stringify(profile));
    log(`CPU profile written to ${file}`);
    for (const line of summariseProfile(profile)) log(`  ${line}`);
  }
}

const STEPS = [
  'relayOnce',
  'number',
  'sign',
  'sendBatch',
  'publishMany',
  'buildEnvelope',
  'validatePayload',
  'handleBatch',
  'verify',
  'toEvent',
  'apply',
  'applyAll',
  'recordReceipt',
  'recordProbe',
  'record',
  'canonicalSigningInput',
  'decodeMessages',
  'parse',
  'query',
];

export function summariseProfile(profile: Profiler.Profile, top = 25): string[] {
  const samples = profile.samples ?? [];
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const msPerSample = samples.length > 0 ? totalMs / samples.length : 0;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfByPackage = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const id of samples) {
    const node = byId.get(id);
    if (!node) continue;
    const frame = node.callFrame;
    const where = packageOf(frame.url, frame.functionName);
    selfByPackage.set(where, (selfByPackage.get(where) ?? 0) + msPerSample);
    const fn = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + msPerSample);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)?.callFrame.functionName ?? '';
      if (STEPS.includes(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + msPerSample);
      }
    }
  }
  const busy = totalMs - (selfByPackage.get('(idle)') ?? 0);
  const line = (name: string, ms: number) =>
    `${name.padEnd(70)} ${round(ms, 0).toString().padStart(7)} ms ${round((100 * ms) / totalMs)
      .toString()
      .padStart(5)}%`;
  const sorted = (map: Map<string, number>) => [...map.entries()].sort(([, a], [, b]) => b - a);
  return [
    `profile: ${round(totalMs, 0)} ms wall, ${round(busy, 0)} ms on the main thread (not idle)`,
    '-- self time by package --',
    ...sorted(selfByPackage)
      .slice(0, top)
      .map(([name, ms]) => line(name, ms)),
    '-- self time by function --',
    ...sorted(selfByFunction)
      .slice(0, top)
      .map(([name, ms]) => line(name, ms)),
    '-- inclusive (synchronous) time of the bus steps --',
    ...sorted(inclusive).map(([name, ms]) => line(name, ms)),
  ];
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (modules) return modules[1];
  const dist = /\/dist\/((?:libs|apps)\/[^/]+|bench)\//.exec(url);
  if (dist) return dist[1];
  if (url.startsWith('node:')) return url.split('/')[0].replace(/^node:internal.*/, 'node:internal');
  return shortUrl(url);
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, '')
    .replace(/^.*\/dist\//, '');
}
