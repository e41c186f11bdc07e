import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { RegionRegistry, SERVICE_NAMES } from '@app/contracts';
import { databaseName, withDatabase } from '@app/database';
import { SERVICE_NODE_FLAGS, repoRoot } from '@app/embedded';
import { sleep } from '@app/runtime';

/** Each service's pool under `npm start`, unless DATABASE_POOL_SIZE says otherwise (README, Database connections). */
const START_POOL_SIZE = 4;

/** An HTTP endpoint the launcher waits for (GET /health answering 200) and then lists. */
export interface Endpoint {
  region: string;
  name: string;
  port: number;
}

/** One Node process the launcher runs once Kafka and PostgreSQL are up. */
export interface Launch {
  /** Its log file: .data/logs/<name>.log. */
  name: string;
  /** The compiled script, relative to dist/. */
  script: string;
  env: Record<string, string>;
  endpoints: Endpoint[];
  child?: ChildProcess;
}

/** What the services are given: the cities' Kafka addresses and the PostgreSQL server. */
export interface Infrastructure {
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

/** The one place that lists what runs on top of Kafka and PostgreSQL: each city's services, then the console. */
export function plannedLaunches(infra: Infrastructure, processPerService: boolean): Launch[] {
  return [...serviceLaunches(infra, processPerService), consoleLaunch(infra)];
}

function serviceLaunches(infra: Infrastructure, processPerService: boolean): Launch[] {
  const common = (region: string): Record<string, string> => {
    // Several cities from one environment: REGION_SIGNING_KEY_<REGION> is that city's REGION_SIGNING_KEY (and
    // REGION_ENCRYPTION_KEY_<REGION> its REGION_ENCRYPTION_KEY).
    const suffix = region.toUpperCase().replace(/-/g, '_');
    const key = process.env[`REGION_SIGNING_KEY_${suffix}`];
    const encryptionKey = process.env[`REGION_ENCRYPTION_KEY_${suffix}`];
    return {
      REGION: region,
      REGIONS_FILE: infra.regionsFile,
      KAFKA_BROKERS: infra.kafka[region],
      // Twelve services of two cities at 4 connections each stay well inside a default max_connections of 100
      // (three cities too); DATABASE_POOL_SIZE in the environment overrides it.
      DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? String(START_POOL_SIZE),
      ...infra.kafkaAuth[region],
      ...(key && { REGION_SIGNING_KEY: key }),
      ...(encryptionKey && { REGION_ENCRYPTION_KEY: encryptionKey }),
    };
  };
  return infra.regions.flatMap((region): Launch[] => {
    const endpoints = SERVICE_NAMES.map((service) => ({
      region,
      name: service,
      port: infra.registry.port(region, service),
    }));
    if (!processPerService) {
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

export function spawnNode(launch: Launch, logs: string): ChildProcess {
  const root = repoRoot();
  const log = createWriteStream(join(logs, `${launch.name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, join(root, 'dist', launch.script)], {
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

export async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Waits until every endpoint's /health answers 200, saying which ones it still waits for now and then. */
export async function waitAllHealthy(endpoints: Endpoint[], say: (line: string) => void, timeoutMs = 180_000) {
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
    await sleep(300);
  }
}
