import { readFileSync, readdirSync } from 'node:fs';
import {
  EventLoopUtilization,
  IntervalHistogram,
  PerformanceObserver,
  monitorEventLoopDelay,
  performance,
} from 'node:perf_hooks';
import { clockTicks } from './util';

interface CpuSnapshot {
  at: number;
  /** Whole machine, jiffies. */
  busy: number;
  total: number;
  /** This process, microseconds. */
  node: NodeJS.CpuUsage;
  /** Jiffies of every other process, by pid (a process that ends during the phase drops out). */
  processes: Map<number, { comm: string; jiffies: number }>;
  loop: EventLoopUtilization;
}

/** utime + stime (jiffies) of every process, by pid, with its command name. */
function processTimes(): { pid: number; comm: string; jiffies: number }[] {
  const result: { pid: number; comm: string; jiffies: number }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // fields[0] is field 3 (state): utime is field 14, stime field 15.
      result.push({ pid: Number(entry), comm, jiffies: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended while we looked
    }
  }
  return result;
}

/**
 * Where the machine's CPU went during a phase: this Node process (both services, the benchmark's own loops), the
 * PostgreSQL backends, the Kafka broker, and everything else (e.g. other jobs sharing the machine).
 */
export class CpuMeter {
  private start?: CpuSnapshot;
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS });
  private readonly gc = { count: 0, ms: 0, maxMs: 0 };
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      this.gc.count += 1;
      this.gc.ms += entry.duration;
      this.gc.maxMs = Math.max(this.gc.maxMs, entry.duration);
    }
  });

  constructor(private readonly kafkaPid?: number) {
    this.observer.observe({ entryTypes: ['gc'] });
    this.delay.enable();
  }

  begin(): void {
    this.start = this.snapshot();
    this.delay.reset();
    Object.assign(this.gc, { count: 0, ms: 0, maxMs: 0 });
  }

  stop(): void {
    this.observer.disconnect();
    this.delay.disable();
  }

  /** One line: share of one core used by each, and of the whole machine. */
  end(): string {
    if (!this.start) return '';
    const end = this.snapshot();
    const seconds = (end.at - this.start.at) / 1000;
    const hz = clockTicks();
    const cores = (jiffies: number) => jiffies / hz / seconds;
    const nodeCores =
      (end.node.user - this.start.node.user + end.node.system - this.start.node.system) / 1_000_000 / seconds;
    const machine = (end.busy - this.start.busy) / (end.total - this.start.total);
    let postgres = 0;
    let kafka = 0;
    let other = 0;
    for (const [pid, proc] of end.processes) {
      const used = proc.jiffies - (this.start.processes.get(pid)?.jiffies ?? 0);
      if (proc.comm === 'postgres') postgres += used;
      else if (pid === this.kafkaPid) kafka += used;
      else other += used;
    }
    const loop = performance.eventLoopUtilization(end.loop, this.start.loop);
    return (
      `CPU (cores): node ${nodeCores.toFixed(2)} (event loop ${(100 * loop.utilization).toFixed(0)}% busy), ` +
      `postgres ${cores(postgres).toFixed(2)}, kafka ${cores(kafka).toFixed(2)}, other processes ${cores(other).toFixed(2)}; ` +
      `machine ${(100 * machine).toFixed(0)}% busy; event loop delay p50 ${ms(this.delay.percentile(50))} ` +
      `p99 ${ms(this.delay.percentile(99))} max ${ms(this.delay.max)} ms; GC ${this.gc.count} pauses, ` +
      `${Math.round(this.gc.ms)} ms in all, longest ${this.gc.maxMs.toFixed(1)} ms`
    );
  }

  private snapshot(): CpuSnapshot {
    const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
    const values = cpu.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((sum, value) => sum + value, 0);
    const idle = values[3] + (values[4] ?? 0);
    const processes = new Map<number, { comm: string; jiffies: number }>();
    for (const proc of processTimes()) {
      if (proc.pid !== process.pid) processes.set(proc.pid, { comm: proc.comm, jiffies: proc.jiffies });
    }
    return {
      at: Date.now(),
      busy: total - idle,
      total,
      node: process.cpuUsage(),
      processes,
      loop: performance.eventLoopUtilization(),
    };
  }
}

const DELAY_RESOLUTION_MS = 10;

/** A sample of the event-loop delay histogram (nanoseconds, sampling interval included) as milliseconds late. */
function ms(nanoseconds: number): string {
  return Math.max(0, nanoseconds / 1e6 - DELAY_RESOLUTION_MS).toFixed(1);
}
