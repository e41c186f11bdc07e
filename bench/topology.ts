import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_NAMES } from '@app/contracts';
import { databaseName, dropDatabase, withDatabase } from '@app/database';
import { freeKafkaPort, freePort, repoRoot, treeRssMib } from '@app/embedded';
import { BenchResult } from './report';
import { log, now, percentile, round, sleep } from './util';

export interface TopologySettings {
  /** How long probes are sent, per topology. */
  seconds: number;
  /** Probes per second (one transaction, one event each). */
  rate: number;
  /** Probes sent at that rate before the measured ones, not counted. */
  warmupSeconds: number;
  /** The PostgreSQL server the stacks use (each city and service gets a database of its own on it). */
  postgresUrl: string;
}

interface Figures {
  startupS: number;
  rssMib: number;
  latencies: number[];
}

/**
 * `npm start` as a user runs it (the built launcher, a process per service, the launcher's own Kafka), in its own
 * process group, with regions named for this run on free ports, so that nothing collides with a stack already
 * running on this machine. The service ports come from a region registry written for the run.
 */
class LaunchedStack {
  private child?: ChildProcess;
  private output = '';
  private readonly root = repoRoot();
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'shuanglai-bench-stack-'));
  readonly names: Record<string, string>;
  readonly ports: Record<string, Record<string, number>> = {};
  private regionsFile = '';

  constructor(private readonly postgresUrl: string) {
    const runId = randomBytes(3).toString('hex');
    this.names = { laixi: `laixi-${runId}`, laiyang: `laiyang-${runId}` };
  }

  async writeRegistry(): Promise<void> {
    const source = JSON.parse(readFileSync(join(this.root, 'config', 'regions.json'), 'utf8')) as {
      regions: { name: string; ports?: Record<string, number> }[];
    };
    for (const region of source.regions) {
      region.name = this.names[region.name];
      region.ports = {};
      for (const service of SERVICE_NAMES) region.ports[service] = await freePort();
      this.ports[region.name] = region.ports;
    }
    this.regionsFile = join(this.dataDir, 'regions.json');
    writeFileSync(this.regionsFile, JSON.stringify(source, null, 2));
  }

  /** Starts the launcher and resolves with the seconds until it reported every service healthy. */
  async start(extraArgs: string[]): Promise<number> {
    const env: Record<string, string> = {
      DATABASE_URL: this.postgresUrl,
      LOG_LEVEL: 'warn',
      CONSOLE_PORT: String(await freePort()),
    };
    for (const [base, name] of Object.entries(this.names)) {
      const key = readFileSync(join(this.root, 'config', 'dev-keys', `${base}.ed25519`), 'utf8').trim();
      env[`REGION_SIGNING_KEY_${name.toUpperCase().replace(/-/g, '_')}`] = key;
    }
    const args = [
      '--regions-file',
      this.regionsFile,
      '--data',
      this.dataDir,
      '--kafka-port',
      String(await freeKafkaPort()),
    ];
    const started = now();
    const child = spawn(process.execPath, [join(this.root, 'dist', 'scripts', 'start.js'), ...args, ...extraArgs], {
      cwd: this.root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const deadline = started + 300_000;
    while (!this.output.includes('Ctrl-C stops everything.')) {
      if (child.exitCode !== null) throw new Error(`npm start exited:\n${this.output}`);
      if (now() > deadline) throw new Error(`npm start not running after 300 s:\n${this.output}`);
      await sleep(100);
    }
    return (now() - started) / 1000;
  }

  /** The whole stack's resident memory: the launcher, its services, Kafka and MirrorMaker JVMs. */
  rssMib(): number {
    return treeRssMib(this.child!.pid!);
  }

  token(region: string): string {
    const line = this.output.split('\n').find((l) => l.trim().startsWith(`${region} `) && l.includes(' operator '));
    if (!line) throw new Error(`no operator token for ${region}`);
    return line.trim().split(/\s+/)[2];
  }

  /** Ctrl-C to the whole group, as in a terminal; SIGKILL to the group after a minute. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid!, 'SIGINT');
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    }
  }

  async clean(): Promise<void> {
    await Promise.all(
      Object.values(this.names).flatMap((name) =>
        SERVICE_NAMES.map((service) =>
          dropDatabase(withDatabase(this.postgresUrl, databaseName(name, service))).catch(() => undefined),
        ),
      ),
    );
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Cross-city delivery latencies of probes sent through Laixi's talent service's HTTP API, as read in Laiyang. */
async function probeLatencies(stack: LaunchedStack, settings: TopologySettings, stream: string): Promise<number[]> {
  const { laixi, laiyang } = stack.names;
  const from = `http://127.0.0.1:${stack.ports[laixi].talent}/bus/probes`;
  const to = `http://127.0.0.1:${stack.ports[laiyang].talent}/bus/probes?origin=${laixi}&stream=${stream}&limit=10000`;
  const send = async (count: number, s: string) => {
    const response = await fetch(from, {
      method: 'POST',
      headers: { Authorization: `Bearer ${stack.token(laixi)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ count, stream: s }),
    });
    if (response.status !== 202) throw new Error(`POST /bus/probes: HTTP ${response.status}`);
  };
  const received = async (s: string) => {
    const url = to.replace(`stream=${stream}`, `stream=${s}`);
    const response = await fetch(url, { headers: { Authorization: `Bearer ${stack.token(laiyang)}` } });
    return (await response.json()) as { latencyMs: number }[];
  };
  const waitFor = async (s: string, count: number) => {
    const deadline = now() + 120_000;
    while ((await received(s)).length < count) {
      if (now() > deadline) throw new Error(`${count} probes of ${s} not applied in Laiyang within 120 s`);
      await sleep(200);
    }
  };

  // Warm-up at the measured rate: consumers assigned, mirrors flowing, connections open, the JVMs' JIT warm.
  const paced = async (s: string, count: number) => {
    let next = now();
    for (let sent = 0; sent < count; sent++) {
      await send(1, s);
      next += 1000 / settings.rate;
      await sleep(Math.max(0, next - now()));
    }
  };
  const warm = Math.max(1, Math.round(settings.warmupSeconds * settings.rate));
  await paced(`${stream}-warm`, warm);
  await waitFor(`${stream}-warm`, warm);

  const total = Math.max(1, Math.round(settings.seconds * settings.rate));
  await paced(stream, total);
  await waitFor(stream, total);
  return (await received(stream)).map((probe) => probe.latencyMs);
}

async function measure(settings: TopologySettings, args: string[], label: string, probe: boolean): Promise<Figures> {
  const stack = new LaunchedStack(settings.postgresUrl);
  try {
    await stack.writeRegistry();
    const startupS = await stack.start(args);
    log(`stack (${label}): npm start ready in ${round(startupS)} s`);
    // Memory once started and idle, the same moment in every topology, before any probe traffic.
    const rssMib = stack.rssMib();
    const latencies = probe ? await probeLatencies(stack, settings, `topology-${args.join('')}`) : [];
    log(`stack (${label}): ${latencies.length} probes; whole stack RSS ${round(rssMib)} MiB`);
    return { startupS, rssMib, latencies };
  } finally {
    await stack.stop();
    await stack.clean();
  }
}

/**
 * The stack as `npm start` runs it by default (one cluster, a process per city): start-up time to all healthy, and
 * resident memory (PostgreSQL counted only when the launcher started an embedded one), beside the same stack with
 * a process per service (`stack.rss.per-service`). Then the cross-city latency of delivery probes on one shared
 * cluster and in the federated topology (a cluster per city, MirrorMaker 2 between), a process per city in both:
 * the two topologies differ only in their Kafka.
 */
export async function stackTopology(settings: TopologySettings): Promise<BenchResult[]> {
  const perService = await measure(settings, ['--process-per-service'], 'a process per service', false);
  const single = await measure(settings, [], 'default: a process per city, single cluster', true);
  const federated = await measure(settings, ['--federated'], 'federated', true);
  const p = (figures: Figures, q: number) => round(percentile(figures.latencies, q), 1);
  log(
    `stack latency p50: single ${p(single, 50)} ms, federated ${p(federated, 50)} ms; ` +
      `federated start-up ${round(federated.startupS)} s, RSS ${round(federated.rssMib)} MiB`,
  );
  return [
    { name: 'stack.single.p50', value: p(single, 50), unit: 'ms' },
    { name: 'stack.single.p99', value: p(single, 99), unit: 'ms' },
    {
      name: 'stack.federated.p50',
      value: p(federated, 50),
      unit: 'ms',
      baseline: { name: 'stack.single.p50', value: p(single, 50) },
    },
    {
      name: 'stack.federated.p99',
      value: p(federated, 99),
      unit: 'ms',
      baseline: { name: 'stack.single.p99', value: p(single, 99) },
    },
    { name: 'stack.startup', value: round(single.startupS), unit: 's' },
    {
      name: 'stack.rss',
      value: Math.round(single.rssMib),
      unit: 'MiB',
      baseline: { name: 'stack.rss.per-service', value: Math.round(perService.rssMib) },
    },
    { name: 'stack.rss.per-service', value: Math.round(perService.rssMib), unit: 'MiB' },
  ];
}
