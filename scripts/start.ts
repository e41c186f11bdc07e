/**
 * `npm start`: the whole multi-city stack on one machine with embedded defaults. Kafka: KAFKA_BROKERS, else a
 * local single-node KRaft broker on 127.0.0.1:9092 (data in .data/kafka). PostgreSQL: DATABASE_URL, else the
 * server on 127.0.0.1:5432, else an embedded one (data in .data/postgres). Then every service of every region in
 * the registry, one process each, on the documented ports. Ctrl-C stops everything; the next start reuses the data.
 *
 * Options: --region <name> (repeatable: run only those cities), --regions-file <path>.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RegionRegistry, SERVICE_NAMES, ServiceName } from '@app/contracts';
import { databaseName, withDatabase } from '@app/database';
import { KafkaBroker, PostgresServer, isListening, repoRoot, resolvePostgres, startKafkaBroker } from '@app/embedded';
import { ROLES, signDevToken } from '@app/http';
import { DEV_JWT_SECRET } from '@app/config';
import { RunningConsole, startConsole } from '../apps/console/src/console.app';

interface Instance {
  region: string;
  service: ServiceName;
  port: number;
  child?: ChildProcess;
}

const root = repoRoot();
const say = (line: string) => process.stdout.write(`${line}\n`);

function options() {
  const args = process.argv.slice(2);
  const regions: string[] = [];
  let regionsFile = process.env.REGIONS_FILE ?? 'config/regions.json';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--region') regions.push(args[++i]);
    else if (args[i] === '--regions-file') regionsFile = args[++i];
    else throw new Error(`unknown option ${args[i]} (known: --region <name>, --regions-file <path>)`);
  }
  return { regions, regionsFile };
}

async function main(): Promise<void> {
  const { regions: only, regionsFile } = options();
  const registry = RegionRegistry.fromFile(resolve(root, regionsFile));
  const regions = only.length > 0 ? only.map((name) => registry.get(name).name) : registry.names;

  let broker: KafkaBroker | undefined;
  let postgres: PostgresServer | undefined;
  let operatorConsole: RunningConsole | undefined;
  const instances: Instance[] = regions.flatMap((region) =>
    SERVICE_NAMES.map((service) => ({ region, service, port: registry.port(region, service) })),
  );

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nstopping ...');
    await operatorConsole?.close();
    await Promise.all(instances.map((instance) => stopChild(instance.child)));
    await broker?.stop();
    await postgres?.stop();
    say('stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  try {
    say('[1/3] PostgreSQL');
    postgres = await resolvePostgres({
      dataDir: join(root, '.data', 'postgres'),
      port: 5433,
      log: (l) => say(`      ${l}`),
    });

    say('[2/3] Kafka');
    let brokers = process.env.KAFKA_BROKERS;
    if (!brokers) {
      if (await isListening(9092)) {
        throw new Error('port 9092 is taken; if that is a Kafka broker, run with KAFKA_BROKERS=127.0.0.1:9092');
      }
      broker = await startKafkaBroker({
        root,
        dataDir: join(root, '.data', 'kafka'),
        port: 9092,
        controllerPort: 9192,
        log: (l) => say(`      ${l}`),
      });
      brokers = broker.brokers;
    } else {
      say(`      using KAFKA_BROKERS=${brokers}`);
    }

    say(`[3/3] services: ${regions.join(', ')} × ${SERVICE_NAMES.join(', ')}`);
    const logs = join(root, '.data', 'logs');
    mkdirSync(logs, { recursive: true });
    for (const instance of instances) {
      const taken = await isListening(instance.port);
      if (taken) throw new Error(`port ${instance.port} (${instance.region} ${instance.service}) is already in use`);
      instance.child = spawnService(
        instance,
        {
          REGION: instance.region,
          REGIONS_FILE: resolve(root, regionsFile),
          DATABASE_URL: withDatabase(postgres.url, databaseName(instance.region, instance.service)),
          KAFKA_BROKERS: brokers,
          PORT: String(instance.port),
        },
        logs,
      );
      instance.child.once('exit', (code) => {
        if (!stopping) {
          say(`${instance.region} ${instance.service} exited with code ${code}; see .data/logs. Stopping.`);
          void stop(1);
        }
      });
    }
    await Promise.all(instances.map((instance) => waitHealthy(instance)));
    operatorConsole = await startConsole({
      ...process.env,
      PORT: process.env.CONSOLE_PORT ?? '3000',
      REGIONS_FILE: resolve(root, regionsFile),
      KAFKA_BROKERS: brokers,
    });
  } catch (error) {
    say(`cannot start: ${(error as Error).message}`);
    await stop(1);
    return;
  }

  say('\nShuanglai Bus is running.\n');
  say('  region    service          URL                     API docs');
  for (const instance of instances) {
    const url = `http://127.0.0.1:${instance.port}`;
    say(`  ${instance.region.padEnd(9)} ${instance.service.padEnd(16)} ${url.padEnd(23)} ${url}/docs`);
  }
  say(
    `\n  Kafka: ${broker?.brokers ?? process.env.KAFKA_BROKERS}   PostgreSQL: ${redact(postgres.url)} (${postgres.origin})`,
  );
  say(`  Operator console: ${operatorConsole?.url}`);
  say('  Logs:  .data/logs/<region>-<service>.log\n');
  say('Bearer tokens for trying the APIs (valid 12 h; `npm run token -- <role> <region> [org]` makes more):');
  const secret = process.env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET;
  for (const region of regions) {
    for (const role of ROLES) {
      const token = signDevToken(
        { role, region, org: `${region}-${role}-dev`, sub: `dev:${role}` },
        { jwt: { kind: 'secret', secret }, registry },
      );
      say(`  ${region.padEnd(9)} ${role.padEnd(12)} ${token}`);
    }
  }
  say('\nCtrl-C stops everything.');
}

function spawnService(instance: Instance, env: Record<string, string>, logs: string): ChildProcess {
  const log = createWriteStream(join(logs, `${instance.region}-${instance.service}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [join(root, 'dist', 'apps', instance.service, 'src', 'main.js')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

async function waitHealthy(instance: Instance, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${instance.port}/health`);
      if (response.ok) {
        say(`      ✓ ${instance.region} ${instance.service} on :${instance.port}`);
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${instance.region} ${instance.service} not healthy on :${instance.port} after ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

void main();
