import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Milliseconds on one monotonic clock shared by everything in this process (sub-millisecond resolution). */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * What to add to a `now()` reading to get the machine's real-time clock (Date.now(), PostgreSQL's clock_timestamp()),
 * measured at a tick of Date.now() so it is exact to a few microseconds. `now()` runs on the monotonic clock from
 * this process's start, which may drift from the real-time clock by a little: measure it again for each phase.
 */
export function realtimeOffset(): number {
  const before = Date.now();
  let tick = Date.now();
  while (tick === before) tick = Date.now();
  return tick - now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/** A whole number from the environment, with a default and a lower bound. */
export function envInt(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be a whole number >= ${min}; got '${raw}'`);
  return value;
}

/** Nearest-rank percentile of an unsorted sample (p in 0..100). */
export function percentile(sample: number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Waits until `done()` is true, checking every `everyMs`; throws after `timeoutMs` with `what` in the message. */
export async function until(done: () => boolean | Promise<boolean>, timeoutMs: number, what: string, everyMs = 5) {
  const deadline = now() + timeoutMs;
  while (!(await done())) {
    if (now() > deadline) throw new Error(`${what}: not reached within ${Math.round(timeoutMs / 1000)} s`);
    await sleep(everyMs);
  }
}

export interface MemoryPeak {
  rssMb: number;
  heapUsedMb: number;
}

/** Samples this process's memory every `everyMs` and keeps the peak since the last `reset()`. */
export class MemorySampler {
  private peak: MemoryPeak = { rssMb: 0, heapUsedMb: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 200) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  reset(): void {
    this.peak = { rssMb: 0, heapUsedMb: 0 };
    this.sample();
  }

  read(): MemoryPeak {
    this.sample();
    return { rssMb: round(this.peak.rssMb), heapUsedMb: round(this.peak.heapUsedMb) };
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const usage = process.memoryUsage();
    this.peak.rssMb = Math.max(this.peak.rssMb, usage.rss / 2 ** 20);
    this.peak.heapUsedMb = Math.max(this.peak.heapUsedMb, usage.heapUsed / 2 ** 20);
  }
}

/** A line of /proc/<pid>/status in MB (VmRSS, VmHWM), or 0 if the process is gone. */
export function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Peak memory of another process (region B's service). RSS: the kernel's high-water mark (VmHWM), reset at each
 * `reset()` through /proc/<pid>/clear_refs, and samples of VmRSS every `everyMs` in case the reset is not allowed.
 * V8 heap in use: nodejs_heap_size_used_bytes from the service's own /metrics (prom-client), every `heapEveryMs`:
 * a scrape costs the service a few milliseconds, so it is sampled less often than this process's own heap.
 */
export class ChildMemorySampler {
  private peak: MemoryPeak = { rssMb: 0, heapUsedMb: 0 };
  private readonly timers: NodeJS.Timeout[];
  private scraping = false;

  constructor(
    private readonly pid: number,
    private readonly metricsUrl: string,
    everyMs = 200,
    heapEveryMs = 1000,
  ) {
    this.timers = [
      setInterval(() => this.sampleRss(), everyMs),
      setInterval(() => void this.sampleHeap(), heapEveryMs),
    ];
    for (const timer of this.timers) timer.unref();
  }

  reset(): void {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
    } catch {
      // not allowed here: the samples of VmRSS remain
    }
    this.peak = { rssMb: 0, heapUsedMb: 0 };
    this.sampleRss();
    void this.sampleHeap();
  }

  async read(): Promise<MemoryPeak> {
    this.sampleRss();
    await this.sampleHeap();
    const rssMb = Math.max(this.peak.rssMb, procStatusMb(this.pid, 'VmHWM'));
    return { rssMb: round(rssMb), heapUsedMb: round(this.peak.heapUsedMb) };
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
  }

  private sampleRss(): void {
    this.peak.rssMb = Math.max(this.peak.rssMb, procStatusMb(this.pid, 'VmRSS'));
  }

  private async sampleHeap(): Promise<void> {
    if (this.scraping) return;
    this.scraping = true;
    try {
      const response = await fetch(this.metricsUrl, { signal: AbortSignal.timeout(2000) });
      const match = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(await response.text());
      if (match) this.peak.heapUsedMb = Math.max(this.peak.heapUsedMb, Number(match[1]) / 2 ** 20);
    } catch {
      // the service is busy or gone: the next sample counts
    } finally {
      this.scraping = false;
    }
  }
}

/** USER_HZ: the unit of the CPU times in /proc (100 on every Linux architecture Node supports). */
export function clockTicks(): number {
  return 100;
}
