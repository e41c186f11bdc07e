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
  /** Main thread (the event loop) of this process and of region B's service. */
  aMain: MainThread;
  bMain: MainThread;
}

interface MainThread {
  onCpuNs: number;
  /** Time runnable but waiting for a core. */
  waitNs: number;
  /** Context switches: the thread blocked (mostly the event loop going idle in epoll_wait), or was preempted. */
  voluntary: number;
  involuntary: number;
}

const GONE: MainThread = { onCpuNs: 0, waitNs: 0, voluntary: 0, involuntary: 0 };

/** The scheduler's account of a process's main thread (/proc/<pid>/task/<pid>/schedstat and status). */
function mainThread(pid: number): MainThread {
  try {
    const [onCpuNs, waitNs] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    const status = readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
    const count = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return {
      onCpuNs,
      waitNs,
      voluntary: count('voluntary_ctxt_switches'),
      involuntary: count('nonvoluntary_ctxt_switches'),
    };
  } catch {
    return GONE;
  }
}

/**
 * How busy a process's event loop was, from outside it: the main thread's time on a CPU, plus the share of its
 * time waiting for a core that followed a preemption (the loop was in the middle of work) rather than a wake-up
 * from epoll_wait (the loop was idle), split by the count of each kind of switch. It tracks
 * performance.eventLoopUtilization() within a few points (compare A's two figures in the same line); time on a CPU
 * alone is its lower bound, time runnable (on a CPU or waiting) its upper bound.
 */
function loopBusy(
  from: MainThread,
  to: MainThread,
  seconds: number,
): { busy: number; onCpu: number; runnable: number } {
  const onCpu = to.onCpuNs - from.onCpuNs;
  const wait = to.waitNs - from.waitNs;
  const voluntary = to.voluntary - from.voluntary;
  const involuntary = to.involuntary - from.involuntary;
  const preempted = voluntary + involuntary > 0 ? (wait * involuntary) / (voluntary + involuntary) : 0;
  const share = (ns: number) => ns / 1e9 / seconds;
  return { busy: share(onCpu + preempted), onCpu: share(onCpu), runnable: share(onCpu + wait) };
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
 * Where the machine's CPU went during a phase: this Node process (region A's service, the benchmark's own loops),
 * region B's service (its own process), the PostgreSQL backends, the Kafka broker, and everything else (e.g. other
 * jobs sharing the machine); how busy each Node process's event loop was.
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

  constructor(
    private readonly kafkaPid?: number,
    /** Region B's service process. */
    private readonly bPid?: number,
  ) {
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
    const start = this.start;
    if (!start) return '';
    const end = this.snapshot();
    const seconds = (end.at - start.at) / 1000;
    const hz = clockTicks();
    const cores = (jiffies: number) => jiffies / hz / seconds;
    const nodeCores = (end.node.user - start.node.user + end.node.system - start.node.system) / 1_000_000 / seconds;
    const machine = (end.busy - start.busy) / (end.total - start.total);
    let postgres = 0;
    let kafka = 0;
    let b = 0;
    let other = 0;
    for (const [pid, proc] of end.processes) {
      const used = proc.jiffies - (start.processes.get(pid)?.jiffies ?? 0);
      if (proc.comm === 'postgres') postgres += used;
      else if (pid === this.kafkaPid) kafka += used;
      else if (pid === this.bPid) b += used;
      else other += used;
    }
    const loop = performance.eventLoopUtilization(end.loop, start.loop);
    const pct = (share: number) => `${(100 * share).toFixed(0)}%`;
    const thread = (from: MainThread, to: MainThread) => {
      const loop = loopBusy(from, to, seconds);
      return `${pct(loop.busy)} busy (main thread on a CPU ${pct(loop.onCpu)}, runnable ${pct(loop.runnable)})`;
    };
    const bOnCpu = (end.bMain.onCpuNs - start.bMain.onCpuNs) / 1e9 / seconds;
    let bLine = '';
    if (this.bPid !== undefined && !end.processes.has(this.bPid)) bLine = `, node B (pid ${this.bPid}) exited`;
    else if (this.bPid !== undefined) {
      bLine =
        `, node B (pid ${this.bPid}) ${cores(b).toFixed(2)} (event loop ≈ ${thread(start.bMain, end.bMain)}; ` +
        `other threads ${Math.max(0, cores(b) - bOnCpu).toFixed(2)})`;
    }
    return (
      `CPU (cores): node A ${nodeCores.toFixed(2)} (event loop ${pct(loop.utilization)} busy; from outside ` +
      `${thread(start.aMain, end.aMain)})${bLine}, ` +
      `postgres ${cores(postgres).toFixed(2)}, kafka ${cores(kafka).toFixed(2)}, other processes ${cores(other).toFixed(2)}; ` +
      `machine ${(100 * machine).toFixed(0)}% busy; A's event loop delay p50 ${ms(this.delay.percentile(50))} ` +
      `p99 ${ms(this.delay.percentile(99))} max ${ms(this.delay.max)} ms; A's GC ${this.gc.count} pauses, ` +
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
      aMain: mainThread(process.pid),
      bMain: this.bPid ? mainThread(this.bPid) : GONE,
    };
  }
}

const DELAY_RESOLUTION_MS = 10;

/** A sample of the event-loop delay histogram (nanoseconds, sampling interval included) as milliseconds late. */
function ms(nanoseconds: number): string {
  return Math.max(0, nanoseconds / 1e6 - DELAY_RESOLUTION_MS).toFixed(1);
}
