import { performance } from 'node:perf_hooks';

/** Milliseconds on one monotonic clock shared by everything in this process (sub-millisecond resolution). */
export function now(): number {
  return performance.timeOrigin + performance.now();
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

/** USER_HZ: the unit of the CPU times in /proc (100 on every Linux architecture Node supports). */
export function clockTicks(): number {
  return 100;
}
