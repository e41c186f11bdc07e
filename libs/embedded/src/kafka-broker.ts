import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
import { ensureKafkaArtifacts } from './kafka-artifacts';
import { freePort } from './free-port';
import { BrokerSecurity, SCRAM_MECHANISM, ScramUser, jaasValue, scramClient } from './kafka-security';

const exec = promisify(execFile);

/** The broker's log directory inside its data folder. */
export const KRAFT_LOGS = 'kraft-logs';

export interface KafkaBrokerOptions {
  /** Repository root: where tools/kafka/pom.xml and .cache live. */
  root: string;
  /** Broker data and logs; kept between runs when it already holds a formatted log directory. */
  dataDir: string;
  /** Client port; a free one when omitted. */
  port?: number;
  /** KRaft controller port; a free one when omitted. */
  controllerPort?: number;
  /** Default partitions of auto-created topics. */
  partitions?: number;
  heapMb?: number;
  startTimeoutMs?: number;
  /**
   * SASL/SCRAM on the client listener, the StandardAuthorizer and no topic auto-creation. Without it the broker is
   * plaintext and open, as the single shared broker of `npm start` and the tests is (on loopback only).
   */
  security?: BrokerSecurity;
  log?: (line: string) => void;
}

export interface KafkaBroker {
  brokers: string;
  port: number;
  controllerPort: number;
  /** The super user's client settings when the broker is secured (the broker's own principal). */
  admin?: ScramUser;
  /** The broker's JVM. */
  pid: number;
  /** Milliseconds from spawn to the first answered metadata request. */
  startupMs: number;
  logFile: string;
  /** A clean shutdown. */
  stop(): Promise<void>;
  /** SIGKILL, as in a crash: the data stays, and a new broker on the same folder and ports picks it up. */
  kill(): Promise<void>;
}

/**
 * Runs a single-node Apache Kafka in KRaft mode (combined broker and controller) from the official jars, with
 * every internal topic's replication factor and min ISR at 1. Resolves once the broker answers a metadata request.
 */
export async function startKafkaBroker(options: KafkaBrokerOptions): Promise<KafkaBroker> {
  const log = options.log ?? (() => {});
  const { libs, version } = await ensureKafkaArtifacts(options.root, log);
  const port = options.port ?? (await freePort());
  const controllerPort = options.controllerPort ?? (await freePort());
  const logDir = join(options.dataDir, KRAFT_LOGS);
  mkdirSync(options.dataDir, { recursive: true });

  const properties = join(options.dataDir, 'server.properties');
  const security = options.security;
  const config = { port, controllerPort, logDir, partitions: options.partitions ?? 3 };
  // Secured, the file holds the broker's own password: readable by its owner only.
  writeFileSync(properties, security ? securedServerProperties(config, security) : serverProperties(config), {
    mode: 0o600,
  });
  const log4j = join(options.dataDir, 'log4j2.yaml');
  const logFile = join(options.dataDir, 'server.log');
  writeFileSync(log4j, log4jConfig(logFile));

  const classpath = `${libs}/*`;
  const jvm = [
    `-Xms${options.heapMb ?? 512}m`,
    `-Xmx${options.heapMb ?? 512}m`,
    '-XX:+UseG1GC',
    `-Dlog4j2.configurationFile=${log4j}`,
  ];
  if (!existsSync(join(logDir, 'meta.properties'))) {
    await exec('java', [
      ...jvm,
      // A short-lived tool: the quick compiler alone starts it sooner.
      '-XX:TieredStopAtLevel=1',
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId(),
      '-c',
      properties,
      '--standalone',
      // SCRAM credentials live in the cluster's metadata: the first ones are written when the storage is made.
      ...(security ? [security.admin, ...security.users] : []).flatMap((user) => [
        '--add-scram',
        `${SCRAM_MECHANISM}=[name=${user.username},password=${user.password}]`,
      ]),
    ]);
  }

  log(`starting Apache Kafka ${version} (KRaft) on 127.0.0.1:${port} ...`);
  const started = Date.now();
  const { child, javaPid } = await spawnGuarded([...jvm, '-cp', classpath, 'kafka.Kafka', properties]);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const brokers = `127.0.0.1:${port}`;
  try {
    await waitUntilReady(brokers, exited, options.startTimeoutMs ?? 90_000, security?.admin);
  } catch (error) {
    killIfAlive(javaPid);
    child.stdin?.end();
    const tail = logTail(logFile);
    throw new Error(
      `${(error as Error).message}; see ${logFile}${stderr ? `\n${stderr}` : ''}${tail ? `\nlast lines:\n${tail}` : ''}`,
    );
  }
  const startupMs = Date.now() - started;
  log(`Kafka ready on ${brokers} in ${startupMs} ms`);
  return {
    brokers,
    port,
    controllerPort,
    admin: security?.admin,
    pid: javaPid,
    startupMs,
    logFile,
    stop: () => stopGuarded(child, javaPid, exited),
    kill: async () => {
      killIfAlive(javaPid);
      child.stdin?.end(); // lets the guard shell, waiting on its stdin, exit too
      await exited;
    },
  };
}

/** SIGKILL, unless the process has already exited (a broker that failed to start often has). */
function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** What the broker logged about why it stopped: from its first error on (the exception follows it), else its end. */
function logTail(logFile: string, lines = 20): string {
  if (!existsSync(logFile)) return '';
  const all = readFileSync(logFile, 'utf8').trimEnd().split('\n');
  const firstError = all.findIndex((line) => /\b(ERROR|FATAL)\b/.test(line));
  return (firstError >= 0 ? all.slice(firstError, firstError + lines) : all.slice(-lines)).join('\n');
}

/**
 * Runs java under a small shell that stops it when our end of its stdin closes: on stop(), and also when this
 * process dies without cleaning up (a crashed test run), so that no orphaned broker keeps its port and memory.
 */
export async function spawnGuarded(javaArgs: string[]): Promise<{ child: ChildProcess; javaPid: number }> {
  // SIGINT is ignored (and so by java too): a Ctrl-C in a terminal reaches the whole process group, and would end
  // the guard before it could stop java, orphaning it; the owner stops the JVM by closing stdin instead.
  // The shell waits on java, so it exits with java's own code as soon as java exits (a broker that fails to start
  // is seen at once); a background reader of its stdin (fd 3: an asynchronous list's own stdin is /dev/null)
  // stops java when that closes.
  const script =
    'trap \'\' INT; exec 3<&0; java "$@" </dev/null >/dev/null 3<&- & pid=$!; echo $pid; ' +
    '(cat <&3 >/dev/null; kill -TERM $pid 2>/dev/null) & exec 3<&-; wait $pid';
  const child = spawn('sh', ['-c', script, 'sh', ...javaArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
  const javaPid = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number.parseInt(chunk.toString(), 10)));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`could not start java (exit code ${code})`)));
  });
  return { child, javaPid };
}

/** Closing stdin makes the guard SIGTERM the broker (a clean shutdown); SIGKILL if it takes too long. */
export async function stopGuarded(
  child: ChildProcess,
  javaPid: number,
  exited: Promise<number | null>,
  graceMs = 20_000,
) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin?.end();
  const timer = setTimeout(() => {
    try {
      process.kill(javaPid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

async function waitUntilReady(
  brokers: string,
  exited: Promise<number | null>,
  timeoutMs: number,
  admin: ScramUser | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const config: KafkaConfig = {
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1000,
    ...(admin && scramClient(admin)),
  };
  const kafka = new Kafka(config);
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`the Kafka broker exited with code ${gone} during start-up`);
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
  throw new Error(`Kafka broker did not answer on ${brokers} within ${timeoutMs} ms`);
}

function clusterId(): string {
  // A KRaft cluster id is 16 random bytes in URL-safe base64 without padding. One starting with '-' would be read
  // as an option by the storage tool's argument parser, so draw again (as Kafka's own Uuid.randomUuid does).
  for (;;) {
    const id = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

interface ServerConfig {
  port: number;
  controllerPort: number;
  logDir: string;
  partitions: number;
}

function serverProperties(p: ServerConfig): string {
  return [
    `listeners=PLAINTEXT://127.0.0.1:${p.port},CONTROLLER://127.0.0.1:${p.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${p.port}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'auto.create.topics.enable=true',
    ...commonProperties(p),
  ].join('\n');
}

/**
 * Clients authenticate with SCRAM (credentials in the cluster's metadata); the controller listener, which must work
 * before that metadata is read, takes PLAIN with the broker's own principal only. Every request is authorized by the
 * StandardAuthorizer: the broker's principal is the only super user, and what has no ACL is refused. Topics are
 * created on purpose only, with their partitions and retention.
 */
function securedServerProperties(p: ServerConfig, security: BrokerSecurity): string {
  const { username, password } = security.admin;
  const scram = `org.apache.kafka.common.security.scram.ScramLoginModule required username=${jaasValue(username)} password=${jaasValue(password)};`;
  const plain =
    `org.apache.kafka.common.security.plain.PlainLoginModule required username=${jaasValue(username)} ` +
    `password=${jaasValue(password)} user_${username}=${jaasValue(password)};`;
  return [
    `listeners=SASL_PLAINTEXT://127.0.0.1:${p.port},CONTROLLER://127.0.0.1:${p.controllerPort}`,
    `advertised.listeners=SASL_PLAINTEXT://127.0.0.1:${p.port}`,
    'listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT',
    'inter.broker.listener.name=SASL_PLAINTEXT',
    `sasl.enabled.mechanisms=${SCRAM_MECHANISM}`,
    `sasl.mechanism.inter.broker.protocol=${SCRAM_MECHANISM}`,
    `listener.name.sasl_plaintext.${SCRAM_MECHANISM.toLowerCase()}.sasl.jaas.config=${scram}`,
    'sasl.mechanism.controller.protocol=PLAIN',
    'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
    `listener.name.controller.plain.sasl.jaas.config=${plain}`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    `super.users=User:${username}`,
    'allow.everyone.if.no.acl.found=false',
    'auto.create.topics.enable=false',
    ...commonProperties(p),
  ].join('\n');
}

function commonProperties(p: ServerConfig): string[] {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    'controller.listener.names=CONTROLLER',
    `controller.quorum.bootstrap.servers=127.0.0.1:${p.controllerPort}`,
    `log.dirs=${p.logDir}`,
    `num.partitions=${p.partitions}`,
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    '',
  ];
}

export function log4jConfig(logFile: string): string {
  return [
    'Configuration:',
    '  status: warn',
    '  Appenders:',
    '    File:',
    '      name: file',
    `      fileName: "${logFile}"`,
    '      PatternLayout:',
    '        pattern: "[%d] %p %m (%c)%n"',
    '  Loggers:',
    '    Root:',
    '      level: INFO',
    '      AppenderRef:',
    '        - ref: file',
    '    Logger:',
    '      - name: kafka.request.logger',
    '        level: WARN',
    '      - name: org.apache.kafka.controller',
    '        level: WARN',
    '',
  ].join('\n');
}
