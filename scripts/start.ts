/**
 * `npm start`: the whole multi-city stack on one machine with embedded defaults. PostgreSQL: DATABASE_URL, else the
 * server on 127.0.0.1:5432, else an embedded one. Kafka: KAFKA_BROKERS, else a local single-node KRaft broker on
 * 127.0.0.1:9092; with --federated, one broker per city (9092 for region 1, 9093 for region 2, …) and a MirrorMaker 2
 * per city pulling its peers' topics in. Then every service of every region, on the registry's ports. Ctrl-C stops
 * everything; the next start reuses the data (.data/).
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RegionRegistry, SERVICE_NAMES, SERVICES, consumedTopics } from '@app/contracts';
import { databaseName, withDatabase } from '@app/database';
import {
  CityCredentials,
  KafkaBroker,
  MirrorMaker,
  PostgresServer,
  SCRAM_MECHANISM,
  ScramUser,
  isListening,
  repoRoot,
  resolvePostgres,
  startCityCluster,
  startKafkaBroker,
  startMirrorMaker,
} from '@app/embedded';
import { ROLES, signDevToken } from '@app/http';
import { devJwtKey } from '@app/config';

const USAGE = `usage: npm start -- [options]
  --region <name>        run only this city (repeatable); default: every region in the registry
  --regions-file <path>  the region registry (default: REGIONS_FILE, else config/regions.json)
  --one-process          each city's four services in one Node process (default: one process per service)
  --federated            each city on its own Kafka cluster, peers' topics mirrored in by MirrorMaker 2
  --kafka-port <n>       port of the (first) embedded Kafka broker (default 9092; controllers listen 100 above)
  --data <dir>           data and logs (default .data), kept between runs`;

interface Options {
  regions: string[];
  regionsFile: string;
  oneProcess: boolean;
  federated: boolean;
  kafkaPort: number;
  dataDir: string;
}

/** An HTTP endpoint the launcher waits for (GET /health answering 200) and then lists. */
interface Endpoint {
  region: string;
  name: string;
  port: number;
}

/** One Node process the launcher runs once Kafka and PostgreSQL are up. */
interface Launch {
  /** Its log file: .data/logs/<name>.log. */
  name: string;
  /** The compiled script, relative to dist/. */
  script: string;
  env: Record<string, string>;
  endpoints: Endpoint[];
  child?: ChildProcess;
}

/** What the services are given: the cities' Kafka addresses and the PostgreSQL server. */
interface Infrastructure {
  registry: RegionRegistry;
  regions: string[];
  regionsFile: string;
  /** Each city's Kafka (the same for all on one shared cluster). */
  kafka: Record<string, string>;
  /** Federated: the SASL settings (KAFKA_SASL_*) of each city's services, and of the console, on their cluster. */
  kafkaAuth: Record<string, Record<string, string>>;
  consoleKafkaAuth: Record<string, string>;
  postgresUrl: string;
}

const root = repoRoot();
const say = (line: string) => process.stdout.write(`${line}\n`);

function options(): Options {
  const args = process.argv.slice(2);
  const parsed: Options = {
    regions: [],
    regionsFile: process.env.REGIONS_FILE ?? 'config/regions.json',
    oneProcess: false,
    federated: false,
    kafkaPort: 9092,
    dataDir: join(root, '.data'),
  };
  const value = (i: number) => {
    if (args[i + 1] === undefined) throw new Error(`${args[i]} needs a value\n${USAGE}`);
    return args[i + 1];
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--region') parsed.regions.push(value(i++));
    else if (arg === '--regions-file') parsed.regionsFile = value(i++);
    else if (arg === '--one-process') parsed.oneProcess = true;
    else if (arg === '--federated') parsed.federated = true;
    else if (arg === '--kafka-port') parsed.kafkaPort = Number(value(i++));
    else if (arg === '--data') parsed.dataDir = resolve(value(i++));
    else if (arg === '--help' || arg === '-h') {
      say(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  if (!Number.isInteger(parsed.kafkaPort) || parsed.kafkaPort < 1 || parsed.kafkaPort > 65_000) {
    throw new Error('--kafka-port must be a port number');
  }
  return parsed;
}

/** The one place that lists what runs on top of Kafka and PostgreSQL: each city's services. */
function launches(infra: Infrastructure, oneProcess: boolean): Launch[] {
  const common = (region: string): Record<string, string> => {
    // Several cities from one environment: REGION_SIGNING_KEY_<REGION> is that city's REGION_SIGNING_KEY.
    const key = process.env[`REGION_SIGNING_KEY_${region.toUpperCase().replace(/-/g, '_')}`];
    return {
      REGION: region,
      REGIONS_FILE: infra.regionsFile,
      KAFKA_BROKERS: infra.kafka[region],
      ...infra.kafkaAuth[region],
      ...(key && { REGION_SIGNING_KEY: key }),
    };
  };
  return infra.regions.flatMap((region): Launch[] => {
    const endpoints = SERVICE_NAMES.map((service) => ({
      region,
      name: service,
      port: infra.registry.port(region, service),
    }));
    if (oneProcess) {
      // The city process derives each service's database from the server's URL, as below.
      return [
        {
          name: region,
          script: 'scripts/city.js',
          env: { ...common(region), DATABASE_URL: infra.postgresUrl },
          endpoints,
        },
      ];
    }
    return SERVICE_NAMES.map((service, i) => ({
      name: `${region}-${service}`,
      script: `apps/${service}/src/main.js`,
      env: {
        ...common(region),
        DATABASE_URL: withDatabase(infra.postgresUrl, databaseName(region, service)),
        PORT: String(endpoints[i].port),
      },
      endpoints: [endpoints[i]],
    }));
  });
}

async function main(): Promise<void> {
  const opts = options();
  const regionsFile = resolve(root, opts.regionsFile);
  const registry = RegionRegistry.fromFile(regionsFile);
  const regions = opts.regions.length > 0 ? opts.regions.map((name) => registry.get(name).name) : registry.names;
  const domains = [...new Set(SERVICE_NAMES.map((service) => SERVICES[service].domain))];

  const brokers: KafkaBroker[] = [];
  const mirrors: MirrorMaker[] = [];
  let postgres: PostgresServer | undefined;
  let running: Launch[] = [];
  let infra: Infrastructure | undefined;

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nstopping ...');
    await Promise.all(running.map((launch) => stopChild(launch.child)));
    await Promise.all(mirrors.map((mirror) => mirror.stop()));
    await Promise.all(brokers.map((broker) => broker.stop()));
    await postgres?.stop();
    say('stopped');
    process.exit(code);
  };
  // `on`, not `once`: npm forwards the terminal's Ctrl-C, so the signal can come twice.
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const steps = opts.federated ? 4 : 3;
  const step = (n: number, what: string) => say(`[${n}/${steps}] ${what}`);
  const detail = (line: string) => say(`      ${line}`);
  try {
    step(1, 'PostgreSQL');
    postgres = await resolvePostgres({ dataDir: join(opts.dataDir, 'postgres'), port: 5433, log: detail });

    const kafka: Record<string, string> = {};
    const kafkaAuth: Record<string, Record<string, string>> = {};
    let consoleKafkaAuth: Record<string, string> = {};
    if (opts.federated) {
      if (process.env.KAFKA_BROKERS) {
        throw new Error('--federated runs a Kafka cluster per city; unset KAFKA_BROKERS (or drop --federated)');
      }
      step(2, `Kafka: one cluster per city (${regions.join(', ')}), SASL/SCRAM and ACLs`);
      const credentials: Record<string, CityCredentials> = {};
      await Promise.all(
        regions.map(async (region) => {
          const port = await freeKafkaPort(opts, registry.get(region).index - 1);
          const dataDir = join(opts.dataDir, `kafka-${region}`);
          const city = await startCityCluster({
            root,
            dataDir,
            city: region,
            regions: registry.names,
            domains,
            consumed: SERVICE_NAMES.flatMap((service) => consumedTopics(service, region, registry.names)),
            port,
            controllerPort: port + 100,
            partitions: Number(process.env.KAFKA_PARTITIONS ?? 3),
            retentionMs: FEDERATED_RETENTION_MS,
            groupPrefix: process.env.KAFKA_GROUP_PREFIX,
            consoleGroup: `${process.env.KAFKA_GROUP_PREFIX ?? ''}console`,
            log: detail,
          });
          brokers.push(city.broker);
          credentials[region] = city.credentials;
          kafka[region] = city.broker.brokers;
          kafkaAuth[region] = kafkaAuthEnv(dataDir, city.credentials.services);
          if (region === regions[0]) consoleKafkaAuth = kafkaAuthEnv(dataDir, city.credentials.console);
        }),
      );

      step(3, 'MirrorMaker 2: each city pulls its peers’ topics into its own cluster');
      if (regions.length < 2) detail('one city only: nothing to mirror');
      else {
        await Promise.all(
          regions.map(async (region) => {
            const mirror = await startMirrorMaker({
              root,
              dataDir: join(opts.dataDir, `mirror-${region}`),
              target: { name: region, brokers: kafka[region], credentials: credentials[region].mirrorMaker },
              sources: regions
                .filter((peer) => peer !== region)
                .map((peer) => ({
                  name: peer,
                  brokers: kafka[peer],
                  credentials: credentials[peer].peerMirrorMakers[region],
                })),
              domains,
              log: detail,
            });
            mirrors.push(mirror);
          }),
        );
      }
    } else {
      step(2, 'Kafka');
      let shared = process.env.KAFKA_BROKERS;
      if (shared) detail(`using KAFKA_BROKERS=${shared}`);
      else {
        const broker = await startBroker(opts, join(opts.dataDir, 'kafka'), 0, detail);
        brokers.push(broker);
        shared = broker.brokers;
      }
      for (const region of regions) kafka[region] = shared;
    }

    infra = { registry, regions, regionsFile, kafka, kafkaAuth, consoleKafkaAuth, postgresUrl: postgres.url };
    const planned = [...launches(infra, opts.oneProcess), consoleLaunch(infra)];
    const endpoints = planned.flatMap((launch) => launch.endpoints);
    step(
      steps,
      `services: ${regions.join(', ')} × ${SERVICE_NAMES.join(', ')}${opts.oneProcess ? ' (a process per city)' : ''}`,
    );
    for (const endpoint of endpoints) {
      if (await isListening(endpoint.port)) {
        throw new Error(`port ${endpoint.port} (${endpoint.region} ${endpoint.name}) is already in use`);
      }
    }
    const logs = join(opts.dataDir, 'logs');
    mkdirSync(logs, { recursive: true });
    running = planned;
    for (const launch of planned) {
      launch.child = spawnNode(launch, logs);
      launch.child.once('exit', (code) => {
        if (!stopping) {
          say(`${launch.name} exited with code ${code}; see ${join(logs, `${launch.name}.log`)}. Stopping.`);
          void stop(1);
        }
      });
    }
    await waitAllHealthy(endpoints, detail);
  } catch (error) {
    say(`cannot start: ${(error as Error).message}`);
    await stop(1);
    return;
  }
  if (stopping || !infra) return;
  printSummary(opts, infra, running, postgres);
}

/**
 * The operator console (CONSOLE_PORT, default 3000): it watches every city of the registry over HTTP, and reads its
 * live feed from the first city's cluster (that city's topics and, federated, the peers' mirrored into it).
 */
function consoleLaunch(infra: Infrastructure): Launch {
  const port = Number(process.env.CONSOLE_PORT ?? 3000);
  return {
    name: 'console',
    script: 'apps/console/src/main.js',
    env: {
      PORT: String(port),
      REGIONS_FILE: infra.regionsFile,
      KAFKA_BROKERS: infra.kafka[infra.regions[0]],
      CONSOLE_REGION: infra.regions[0],
      ...infra.consoleKafkaAuth,
    },
    endpoints: [{ region: 'all', name: 'operator console', port }],
  };
}

/** The client port of the broker at `offset`, once it and its controller's port (100 above) are known free. */
async function freeKafkaPort(opts: Options, offset: number): Promise<number> {
  const port = opts.kafkaPort + offset;
  for (const taken of [port, port + 100]) {
    if (await isListening(taken)) {
      throw new Error(`port ${taken} is taken; if a Kafka broker is already running there, use KAFKA_BROKERS`);
    }
  }
  return port;
}

async function startBroker(opts: Options, dataDir: string, offset: number, log: (line: string) => void) {
  const port = await freeKafkaPort(opts, offset);
  return startKafkaBroker({ root, dataDir, port, controllerPort: port + 100, log });
}

/** Retention of the topics the federated launcher creates (the brokers create none by themselves). */
const FEDERATED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** How a process logs in to a city's cluster: its password is in an owner-only file there, not in the environment. */
function kafkaAuthEnv(dataDir: string, user: ScramUser): Record<string, string> {
  const passwordFile = join(dataDir, `${user.username}.password`);
  writeFileSync(passwordFile, user.password, { mode: 0o600 });
  return {
    KAFKA_SASL_MECHANISM: SCRAM_MECHANISM,
    KAFKA_SASL_USERNAME: user.username,
    KAFKA_SASL_PASSWORD_FILE: passwordFile,
  };
}

function spawnNode(launch: Launch, logs: string): ChildProcess {
  const log = createWriteStream(join(logs, `${launch.name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [join(root, 'dist', launch.script)], {
    cwd: root,
    env: { ...process.env, ...launch.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Its own process group: a Ctrl-C in the terminal reaches the launcher only, which stops the children in order.
    detached: true,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

/** Waits until every endpoint's /health answers 200, saying which ones it still waits for now and then. */
async function waitAllHealthy(endpoints: Endpoint[], say: (line: string) => void, timeoutMs = 180_000) {
  const pending = new Set(endpoints);
  const deadline = Date.now() + timeoutMs;
  let nextReport = Date.now() + 5000;
  while (pending.size > 0) {
    await Promise.all(
      [...pending].map(async (endpoint) => {
        try {
          const response = await fetch(`http://127.0.0.1:${endpoint.port}/health`, {
            signal: AbortSignal.timeout(3000),
          });
          if (response.ok) {
            pending.delete(endpoint);
            say(`✓ ${endpoint.region} ${endpoint.name} on :${endpoint.port}`);
          }
        } catch {
          // not listening yet
        }
      }),
    );
    if (pending.size === 0) return;
    const names = [...pending].map((endpoint) => `${endpoint.region} ${endpoint.name}`).join(', ');
    if (Date.now() > deadline) throw new Error(`not healthy after ${timeoutMs / 1000} s: ${names}`);
    if (Date.now() > nextReport) {
      say(`… waiting for /health (database and Kafka ready) of ${names}`);
      nextReport = Date.now() + 5000;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

function printSummary(opts: Options, infra: Infrastructure, running: Launch[], postgres: PostgresServer): void {
  const { registry, regions } = infra;
  say('\nShuanglai Bus is running.\n');
  say('  region    service          URL                     API docs');
  for (const endpoint of running.flatMap((launch) => launch.endpoints)) {
    const url = `http://127.0.0.1:${endpoint.port}`;
    say(`  ${endpoint.region.padEnd(9)} ${endpoint.name.padEnd(16)} ${url.padEnd(23)} ${url}/docs`);
  }
  const kafka = opts.federated
    ? `${regions.map((region) => `${region} ${infra.kafka[region]}`).join(', ')}; MirrorMaker 2 in each city`
    : infra.kafka[regions[0]];
  say(`\n  Kafka: ${kafka}\n  PostgreSQL: ${redact(postgres.url)} (${postgres.origin})`);
  say(`  Logs:  ${join(opts.dataDir, 'logs')}/\n`);
  say('Bearer tokens for trying the APIs (valid 12 h; `npm run token -- <role> <region> [org]` makes more):');
  for (const region of regions) {
    for (const role of ROLES) {
      const token = signDevToken(
        { role, region, org: `${region}-${role}-dev`, sub: `dev:${role}` },
        { jwt: devJwtKey(process.env, repoRoot()), registry },
      );
      say(`  ${region.padEnd(9)} ${role.padEnd(12)} ${token}`);
    }
  }
  const console = running.flatMap((launch) => launch.endpoints).find((e) => e.name === 'operator console');
  if (console) {
    say(
      `\nOperator console: http://127.0.0.1:${console.port}: log in with ${regions[0]}'s operator token above ` +
        `(\`npm run -s token -- operator ${regions[0]}\` makes another).`,
    );
  }
  say('\nCtrl-C stops everything.');
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

main().catch((error: Error) => {
  say(error.message);
  process.exit(2);
});
