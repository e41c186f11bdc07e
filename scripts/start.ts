/**
 * `npm start`: the whole multi-city stack on one machine with embedded defaults. PostgreSQL: DATABASE_URL, else the
 * server on 127.0.0.1:5432, else an embedded one. Kafka: KAFKA_BROKERS, else a local single-node KRaft broker on
 * 127.0.0.1:9092; with --federated, one broker per city (9092 for region 1, 9093 for region 2, …) and a MirrorMaker 2
 * per city pulling its peers' topics in. Then every service of every region, on the registry's ports. Ctrl-C stops
 * everything; the next start reuses the data (.data/).
 */
import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RegionRegistry, SERVICE_NAMES } from '@app/contracts';
import { PostgresServer, isListening, repoRoot, resolvePostgres } from '@app/embedded';
import { KafkaProcesses, KafkaSetup, cityClusters, mirrorPeers, sharedKafka } from './start/kafka';
import { Infrastructure, Launch, plannedLaunches, spawnNode, stopChild, waitAllHealthy } from './start/launches';
import { StartOptions, USAGE, parseStartOptions } from './start/options';
import { printSummary } from './start/summary';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const root = repoRoot();
  const opts = parseStartOptions(process.argv.slice(2), root);
  if (opts.help) {
    say(USAGE);
    return;
  }
  const regionsFile = resolve(root, opts.regionsFile);
  const registry = RegionRegistry.fromFile(regionsFile);
  const regions = opts.regions.length > 0 ? opts.regions.map((name) => registry.get(name).name) : registry.names;

  const kafkaProcesses: KafkaProcesses = { brokers: [], mirrors: [] };
  let postgres: PostgresServer | undefined;
  let running: Launch[] = [];

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nstopping ...');
    await Promise.all(running.map((launch) => stopChild(launch.child)));
    await Promise.all(kafkaProcesses.mirrors.map((mirror) => mirror.stop()));
    await Promise.all(kafkaProcesses.brokers.map((broker) => broker.stop()));
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
  let infra: Infrastructure;
  try {
    step(1, 'PostgreSQL');
    postgres = await resolvePostgres({ dataDir: join(opts.dataDir, 'postgres'), port: 5433, log: detail });
    const kafka = await startKafka(opts, registry, regions, kafkaProcesses, step, detail);
    infra = { registry, regions, regionsFile, ...kafka, postgresUrl: postgres.url };

    step(
      steps,
      `services: ${regions.join(', ')} × ${SERVICE_NAMES.join(', ')}${opts.processPerService ? ' (a process per service)' : ' (a process per city)'}`,
    );
    const planned = plannedLaunches(infra, opts.processPerService);
    await checkPortsFree(planned);
    running = planned;
    const logs = join(opts.dataDir, 'logs');
    spawnAll(running, logs, (launch, code) => {
      if (stopping) return;
      say(`${launch.name} exited with code ${code}; see ${join(logs, `${launch.name}.log`)}. Stopping.`);
      void stop(1);
    });
    await waitAllHealthy(
      running.flatMap((launch) => launch.endpoints),
      detail,
    );
  } catch (error) {
    say(`cannot start: ${(error as Error).message}`);
    await stop(1);
    return;
  }
  if (stopping) return;
  printSummary(say, opts, infra, running, postgres);
}

/** Steps 2 (and 3, federated): one Kafka for all the cities, or a cluster per city and the mirrors between them. */
async function startKafka(
  opts: StartOptions,
  registry: RegionRegistry,
  regions: string[],
  started: KafkaProcesses,
  step: (n: number, what: string) => void,
  detail: (line: string) => void,
): Promise<KafkaSetup> {
  const stepOptions = { regions, kafkaPort: opts.kafkaPort, dataDir: opts.dataDir, detail };
  if (!opts.federated) {
    step(2, 'Kafka');
    return sharedKafka(stepOptions, started);
  }
  if (process.env.KAFKA_BROKERS) {
    throw new Error('--federated runs a Kafka cluster per city; unset KAFKA_BROKERS (or drop --federated)');
  }
  step(2, `Kafka: one cluster per city (${regions.join(', ')}), SASL/SCRAM and ACLs`);
  const { credentials, ...setup } = await cityClusters(registry, stepOptions, started);
  step(3, 'MirrorMaker 2: each city pulls its peers’ topics into its own cluster');
  await mirrorPeers(setup.kafka, credentials, stepOptions, started);
  return setup;
}

async function checkPortsFree(planned: Launch[]): Promise<void> {
  for (const endpoint of planned.flatMap((launch) => launch.endpoints)) {
    if (await isListening(endpoint.port)) {
      throw new Error(`port ${endpoint.port} (${endpoint.region} ${endpoint.name}) is already in use`);
    }
  }
}

/** The last step: every planned process, each logging to <logs>/<name>.log; `onExit` hears of any that exits. */
function spawnAll(launches: Launch[], logs: string, onExit: (launch: Launch, code: number | null) => void): void {
  mkdirSync(logs, { recursive: true });
  for (const launch of launches) {
    launch.child = spawnNode(launch, logs);
    launch.child.once('exit', (code) => onExit(launch, code));
  }
}

main().catch((error: Error) => {
  say(error.message);
  process.exit(2);
});
