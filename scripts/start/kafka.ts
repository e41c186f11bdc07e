import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegionRegistry, SERVICE_NAMES, SERVICES, consumedTopics } from '@app/contracts';
import {
  CityCredentials,
  KafkaBroker,
  MirrorMaker,
  SCRAM_MECHANISM,
  ScramUser,
  canBind,
  repoRoot,
  startCityCluster,
  startKafkaBroker,
  startMirrorMaker,
} from '@app/embedded';

/** Where each city's services and the console find Kafka, and what the launcher started for it (to stop). */
export interface KafkaSetup {
  kafka: Record<string, string>;
  kafkaAuth: Record<string, Record<string, string>>;
  consoleKafkaAuth: Record<string, string>;
}

/** What the Kafka steps started, filled in as they go, so that a failure half-way still stops all of it. */
export interface KafkaProcesses {
  brokers: KafkaBroker[];
  mirrors: MirrorMaker[];
}

interface KafkaStepOptions {
  regions: string[];
  kafkaPort: number;
  dataDir: string;
  detail: (line: string) => void;
}

/** Retention of the topics the federated launcher creates (the brokers create none by themselves). */
const FEDERATED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** One Kafka for every city: KAFKA_BROKERS, else a local single-node broker. */
export async function sharedKafka(opts: KafkaStepOptions, started: KafkaProcesses): Promise<KafkaSetup> {
  let shared = process.env.KAFKA_BROKERS;
  if (shared) opts.detail(`using KAFKA_BROKERS=${shared}`);
  else {
    const port = await freeKafkaPort(opts.kafkaPort, 0);
    const broker = await startKafkaBroker({
      root: repoRoot(),
      dataDir: join(opts.dataDir, 'kafka'),
      port,
      controllerPort: port + 100,
      log: opts.detail,
    });
    started.brokers.push(broker);
    shared = broker.brokers;
  }
  return {
    kafka: Object.fromEntries(opts.regions.map((region) => [region, shared])),
    kafkaAuth: {},
    consoleKafkaAuth: {},
  };
}

/** A cluster per city with SASL/SCRAM and ACLs, its topics created up front (KAFKA_PARTITIONS partitions each). */
export async function cityClusters(
  registry: RegionRegistry,
  opts: KafkaStepOptions,
  started: KafkaProcesses,
): Promise<KafkaSetup & { credentials: Record<string, CityCredentials> }> {
  const partitions = kafkaPartitions(process.env);
  const domains = [...new Set(SERVICE_NAMES.map((service) => SERVICES[service].domain))];
  const setup: KafkaSetup = { kafka: {}, kafkaAuth: {}, consoleKafkaAuth: {} };
  const credentials: Record<string, CityCredentials> = {};
  await Promise.all(
    opts.regions.map(async (region) => {
      const port = await freeKafkaPort(opts.kafkaPort, registry.get(region).index - 1);
      const dataDir = join(opts.dataDir, `kafka-${region}`);
      const city = await startCityCluster({
        root: repoRoot(),
        dataDir,
        city: region,
        regions: registry.names,
        domains,
        consumed: SERVICE_NAMES.flatMap((service) => consumedTopics(service, region, registry.names)),
        port,
        controllerPort: port + 100,
        partitions,
        retentionMs: FEDERATED_RETENTION_MS,
        groupPrefix: process.env.KAFKA_GROUP_PREFIX,
        consoleGroup: `${process.env.KAFKA_GROUP_PREFIX ?? ''}console`,
        log: opts.detail,
      });
      started.brokers.push(city.broker);
      credentials[region] = city.credentials;
      setup.kafka[region] = city.broker.brokers;
      setup.kafkaAuth[region] = kafkaAuthEnv(dataDir, city.credentials.services);
      if (region === opts.regions[0]) setup.consoleKafkaAuth = kafkaAuthEnv(dataDir, city.credentials.console);
    }),
  );
  return { ...setup, credentials };
}

/** A MirrorMaker 2 per city, pulling its peers' topics into its own cluster. */
export async function mirrorPeers(
  kafka: Record<string, string>,
  credentials: Record<string, CityCredentials>,
  opts: KafkaStepOptions,
  started: KafkaProcesses,
): Promise<void> {
  const { regions } = opts;
  if (regions.length < 2) {
    opts.detail('one city only: nothing to mirror');
    return;
  }
  const domains = [...new Set(SERVICE_NAMES.map((service) => SERVICES[service].domain))];
  await Promise.all(
    regions.map(async (region) => {
      const mirror = await startMirrorMaker({
        root: repoRoot(),
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
        log: opts.detail,
      });
      started.mirrors.push(mirror);
    }),
  );
}

/** KAFKA_PARTITIONS (default 3), checked as the services check it. */
function kafkaPartitions(env: NodeJS.ProcessEnv): number {
  const partitions = Number(env.KAFKA_PARTITIONS ?? 3);
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 100) {
    throw new Error('KAFKA_PARTITIONS must be a whole number from 1 to 100');
  }
  return partitions;
}

/** The client port of the broker at `offset`, once it and its controller's port (100 above) are known free. */
async function freeKafkaPort(firstPort: number, offset: number): Promise<number> {
  const port = firstPort + offset;
  for (const taken of [port, port + 100]) {
    if (!(await canBind(taken))) {
      throw new Error(`port ${taken} is taken; if a Kafka broker is already running there, use KAFKA_BROKERS`);
    }
  }
  return port;
}

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
