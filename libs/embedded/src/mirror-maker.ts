import { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureKafkaArtifacts } from './kafka-artifacts';
import { log4jConfig, spawnGuarded, stopGuarded } from './kafka-broker';
import { ScramUser, javaScramProperties } from './kafka-security';

/** A city's Kafka cluster, named by its region (the MirrorMaker 2 cluster alias). */
export interface ClusterRef {
  name: string;
  brokers: string;
  /** MirrorMaker's own SCRAM principal on that cluster, when it is secured. */
  credentials?: ScramUser;
}

export interface MirrorMakerOptions {
  /** Repository root: where tools/kafka/pom.xml and .cache live. */
  root: string;
  /** Configuration and log folder. */
  dataDir: string;
  /** The city this MirrorMaker works for: it writes only into this city's cluster. */
  target: ClusterRef;
  /** The peers whose topics it pulls in. */
  sources: ClusterRef[];
  /** The bus's domains (health, lab, …): what a peer's topics are named after. */
  domains: readonly string[];
  heapMb?: number;
  /** How often a new topic on a peer is looked for; MirrorMaker's default is ten minutes. */
  refreshSeconds?: number;
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface MirrorMaker {
  /** The JVM. */
  pid: number;
  logFile: string;
  startupMs: number;
  stop(): Promise<void>;
  /** SIGKILL, as in a crash: a new MirrorMaker on the same clusters resumes from the offsets it last stored. */
  kill(): Promise<void>;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The peer topics `target` mirrors from `source`: the source's broadcast topics (`laixi.health`) and the topics it
 * addresses to the target (`laixi.health.laiyang`); never its dead letters, never what it addresses to others, and
 * never anything the source only holds as a mirror (no replication loops: a mirror keeps its origin's prefix).
 */
export function mirroredTopicsPattern(source: string, target: string, domains: readonly string[]): string {
  return `${escape(source)}\\.(${domains.map(escape).join('|')})(\\.${escape(target)})?`;
}

/**
 * MirrorMaker 2 properties (dedicated mode) for one city: a flow from each peer into the city's own cluster with
 * the identity replication policy, so mirrored topics keep their names and services read them as on one shared
 * cluster. No consumer group is checkpointed and MirrorMaker's heartbeats are off: each city's groups live in its
 * own cluster only, and the bus's own heartbeats already tell a region that its peers are alive. Everything
 * MirrorMaker stores goes to the target cluster, so a city only ever reads from a peer's cluster.
 */
export function mirrorMakerProperties(options: Omit<MirrorMakerOptions, 'root' | 'dataDir'>): string {
  const { target, sources, domains } = options;
  const clusters = [target, ...sources];
  const lines = [
    `clusters = ${clusters.map((cluster) => cluster.name).join(', ')}`,
    ...clusters.map((cluster) => `${cluster.name}.bootstrap.servers = ${cluster.brokers}`),
    // Every client of a cluster (Connect's own, consumers, producers, admins) logs in with the principal given there.
    ...clusters.flatMap((cluster) =>
      Object.entries(cluster.credentials ? javaScramProperties(cluster.credentials) : {}).map(
        ([key, value]) => `${cluster.name}.${key} = ${value}`,
      ),
    ),
    'replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy',
    'emit.heartbeats.enabled = false',
    // No consumer group is translated (each city's groups live in its own cluster); the offset syncs MirrorMaker
    // keeps anyway stay in the target cluster.
    'groups.exclude = .*',
    'sync.group.offsets.enabled = false',
    'offset-syncs.topic.location = target',
    'sync.topic.acls.enabled = false',
    `refresh.topics.interval.seconds = ${options.refreshSeconds ?? 5}`,
    'replication.factor = 1',
    'config.storage.replication.factor = 1',
    'offset.storage.replication.factor = 1',
    'status.storage.replication.factor = 1',
    'offset-syncs.topic.replication.factor = 1',
    'heartbeats.topic.replication.factor = 1',
    'checkpoints.topic.replication.factor = 1',
    'tasks.max = 1',
    // Every plugin on the classpath ships a ServiceLoader manifest: no classpath scan at start-up.
    'plugin.discovery = service_load',
    // Cross-city latency: send each mirrored batch at once rather than lingering for more.
    `${target.name}.producer.linger.ms = 0`,
    `${target.name}.producer.enable.idempotence = true`,
    `${target.name}.producer.acks = all`,
  ];
  for (const source of sources) {
    const flow = `${source.name}->${target.name}`;
    // A backslash in a .properties value escapes the next character: written twice, the regex reaches Java intact.
    const topics = mirroredTopicsPattern(source.name, target.name, domains).replaceAll('\\', '\\\\');
    lines.push(`${flow}.enabled = true`, `${flow}.topics = ${topics}`);
    // Flows that would write into a peer's cluster are off: that peer's own MirrorMaker pulls what it needs.
    lines.push(`${target.name}->${source.name}.enabled = false`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs Apache Kafka's MirrorMaker 2 (dedicated mode, `org.apache.kafka.connect.mirror.MirrorMaker`) from the
 * official jars for one city, pulling its peers' topics into its cluster. Resolves once MirrorMaker reports its
 * flows started.
 */
export async function startMirrorMaker(options: MirrorMakerOptions): Promise<MirrorMaker> {
  const log = options.log ?? (() => {});
  const { libs } = await ensureKafkaArtifacts(options.root, log);
  mkdirSync(options.dataDir, { recursive: true });
  const properties = join(options.dataDir, 'mm2.properties');
  // It may hold passwords: readable by its owner only.
  writeFileSync(properties, mirrorMakerProperties(options), { mode: 0o600 });
  const logFile = join(options.dataDir, 'mirror-maker.log');
  const log4j = join(options.dataDir, 'log4j2.yaml');
  writeFileSync(log4j, log4jConfig(logFile));
  const logStart = existsSync(logFile) ? readFileSync(logFile).length : 0;

  const heap = options.heapMb ?? 256;
  const started = Date.now();
  const { child, javaPid } = await spawnGuarded([
    `-Xms${heap}m`,
    `-Xmx${heap}m`,
    '-XX:+UseG1GC',
    '-XX:TieredStopAtLevel=1',
    `-Dlog4j2.configurationFile=${log4j}`,
    '-cp',
    `${libs}/*`,
    'org.apache.kafka.connect.mirror.MirrorMaker',
    properties,
    '--clusters',
    options.target.name,
  ]);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitForFlows(child, logFile, logStart, options.sources.length, options.startTimeoutMs ?? 90_000);
  } catch (error) {
    await stopGuarded(child, javaPid, exited, 2000);
    throw new Error(`MirrorMaker for ${options.target.name}: ${(error as Error).message}; see ${logFile}`);
  }
  const startupMs = Date.now() - started;
  log(`MirrorMaker 2 pulling ${options.sources.map((s) => s.name).join(', ')} into ${options.target.name}`);
  return {
    pid: javaPid,
    logFile,
    startupMs,
    stop: () => stopGuarded(child, javaPid, exited),
    kill: async () => {
      process.kill(javaPid, 'SIGKILL');
      child.stdin?.end(); // lets the guard shell, waiting on its stdin, exit too
      await exited;
    },
  };
}

/** MirrorMaker logs one "started" line per flow's source connector task; it has no port to ask. */
async function waitForFlows(child: ChildProcess, logFile: string, from: number, flows: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('exited during start-up');
    if (existsSync(logFile)) {
      const text = readFileSync(logFile).subarray(from).toString();
      const startedTasks = text.match(
        /WorkerSourceTask\{id=MirrorSourceConnector-\d+\} Source task finished initialization and start/g,
      );
      if ((startedTasks?.length ?? 0) >= flows) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`flows not started within ${timeoutMs} ms`);
}

/**
 * The MirrorMaker 2 configuration of each city in docker/compose.yaml, where city r's cluster is `kafka-<r>:9092`
 * (docker/mm2/<r>.properties; `npm run docker:config` writes them, a test fails while they are stale).
 */
export function composeMirrorMakerFiles(
  regions: readonly string[],
  domains: readonly string[],
): Record<string, string> {
  const cluster = (name: string): ClusterRef => ({ name, brokers: `kafka-${name}:9092` });
  return Object.fromEntries(
    regions.map((region) => [
      `${region}.properties`,
      mirrorMakerProperties({
        target: cluster(region),
        sources: regions.filter((peer) => peer !== region).map(cluster),
        domains,
      }),
    ]),
  );
}
