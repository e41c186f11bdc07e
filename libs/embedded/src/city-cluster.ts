import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KRAFT_LOGS, KafkaBroker, startKafkaBroker } from './kafka-broker';
import { CityCredentials, brokerSecurity, generateCityCredentials, prepareCityCluster } from './kafka-security';

/**
 * A city's credentials for its broker's data folder: SCRAM users are written when the storage is formatted, so a
 * folder that holds a cluster keeps the credentials drawn for it (`credentials.json` there, readable by its owner
 * only, never committed); a new folder gets new ones.
 */
export function cityCredentialsFor(dataDir: string, city: string, peers: readonly string[]): CityCredentials {
  const file = join(dataDir, 'credentials.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as CityCredentials;
    if (peers.every((peer) => stored.peerMirrorMakers[peer])) return stored;
  }
  if (existsSync(join(dataDir, KRAFT_LOGS, 'meta.properties'))) {
    throw new Error(
      `${dataDir} holds a Kafka cluster made without these SASL users (an earlier version, or new regions); ` +
        'delete that folder to start the cluster afresh',
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const credentials = generateCityCredentials(city, peers);
  writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}

export interface CityClusterOptions {
  /** Repository root: where tools/kafka/pom.xml and .cache live. */
  root: string;
  /** Broker data, logs and the city's credentials; kept between runs. */
  dataDir: string;
  city: string;
  /** Every region of the registry, the city included. */
  regions: readonly string[];
  domains: readonly string[];
  /** Every topic the city's services consume. */
  consumed: readonly string[];
  port?: number;
  controllerPort?: number;
  heapMb?: number;
  startTimeoutMs?: number;
  partitions: number;
  retentionMs: number;
  groupPrefix?: string;
  consoleGroup?: string;
  log?: (line: string) => void;
}

export interface CityCluster {
  broker: KafkaBroker;
  credentials: CityCredentials;
}

/**
 * One city's secured single-node cluster, as `npm start -- --federated` runs it: SASL/SCRAM principals, the
 * StandardAuthorizer with the city's ACLs, no topic auto-creation, and the topics created up front.
 */
export async function startCityCluster(options: CityClusterOptions): Promise<CityCluster> {
  const peers = options.regions.filter((region) => region !== options.city);
  const credentials = cityCredentialsFor(options.dataDir, options.city, peers);
  const broker = await startKafkaBroker({
    root: options.root,
    dataDir: options.dataDir,
    port: options.port,
    controllerPort: options.controllerPort,
    heapMb: options.heapMb,
    startTimeoutMs: options.startTimeoutMs,
    partitions: options.partitions,
    security: brokerSecurity(credentials),
    log: options.log,
  });
  try {
    await prepareCityCluster({ ...options, brokers: broker.brokers, admin: credentials.admin });
  } catch (error) {
    await broker.stop();
    throw error;
  }
  return { broker, credentials };
}
