import { randomBytes } from 'node:crypto';
import {
  Admin,
  AclEntry,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  KafkaConfig,
  ResourcePatternTypes,
  logLevel,
} from 'kafkajs';

/** The one SASL mechanism of the embedded secured clusters (kafkajs and MirrorMaker 2 both speak it). */
export const SCRAM_MECHANISM = 'SCRAM-SHA-512';

export interface ScramUser {
  username: string;
  password: string;
}

export interface BrokerSecurity {
  /** The broker's own principal: inter-broker and controller traffic, topics and ACLs; the only super user. */
  admin: ScramUser;
  /** SCRAM users written into the cluster's metadata when its storage is formatted. */
  users: ScramUser[];
}

/**
 * The principals of one city's cluster: the broker's own (`admin`), the city's services (`<city>.services`), the
 * city's MirrorMaker (`<city>.mm2`, the only writer of its peers' prefixes there), each peer's MirrorMaker
 * (`<peer>.mm2`, which reads what the city publishes for it) and the operator console (`<city>.console`).
 */
export interface CityCredentials {
  admin: ScramUser;
  services: ScramUser;
  mirrorMaker: ScramUser;
  console: ScramUser;
  /** Peer name → that peer's MirrorMaker's credentials on this city's cluster. */
  peerMirrorMakers: Record<string, ScramUser>;
}

export const servicesPrincipal = (city: string) => `${city}.services`;
export const mirrorMakerPrincipal = (city: string) => `${city}.mm2`;
export const consolePrincipal = (city: string) => `${city}.console`;

/** 32 random bytes, URL-safe: nothing to quote in a JAAS line or a `--add-scram` argument. */
export function generatePassword(): string {
  return randomBytes(32).toString('base64url');
}

/** A city's credentials, each with a password of its own drawn now. */
export function generateCityCredentials(city: string, peers: readonly string[]): CityCredentials {
  const user = (username: string): ScramUser => ({ username, password: generatePassword() });
  return {
    admin: user('admin'),
    services: user(servicesPrincipal(city)),
    mirrorMaker: user(mirrorMakerPrincipal(city)),
    console: user(consolePrincipal(city)),
    peerMirrorMakers: Object.fromEntries(peers.map((peer) => [peer, user(mirrorMakerPrincipal(peer))])),
  };
}

export function brokerSecurity(credentials: CityCredentials): BrokerSecurity {
  return {
    admin: credentials.admin,
    users: [
      credentials.services,
      credentials.mirrorMaker,
      credentials.console,
      ...Object.values(credentials.peerMirrorMakers),
    ],
  };
}

/** kafkajs client settings of a SCRAM user (plaintext transport: loopback only). */
export function scramClient(user: ScramUser): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  return { ssl: false, sasl: { mechanism: 'scram-sha-512', username: user.username, password: user.password } };
}

/** A JAAS option value: quoted, with quotes and backslashes escaped. */
export function jaasValue(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A Java client's SASL/SCRAM settings (as MirrorMaker 2 takes them per cluster, under `<alias>.`). */
export function javaScramProperties(user: ScramUser): Record<string, string> {
  return {
    'security.protocol': 'SASL_PLAINTEXT',
    'sasl.mechanism': SCRAM_MECHANISM,
    'sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username=${jaasValue(user.username)} password=${jaasValue(user.password)};`,
  };
}

// Topic names as @app/contracts makes them (domainTopic, directedTopic, deadLetterTopic; a unit test holds them
// equal). Not imported: the test runner's global setup loads this library without the path aliases.
const domainTopic = (region: string, domain: string) => `${region}.${domain}`;
const directedTopic = (region: string, domain: string, target: string) => `${region}.${domain}.${target}`;
const deadLetterTopic = (region: string) => `${region}.dlq`;

/** The topics a region owns on its cluster: one per domain, one per domain and peer (directed), its dead letters. */
export function ownTopics(region: string, peers: readonly string[], domains: readonly string[]): string[] {
  return [
    ...domains.flatMap((domain) => [
      domainTopic(region, domain),
      ...peers.map((peer) => directedTopic(region, domain, peer)),
    ]),
    deadLetterTopic(region),
  ];
}

/** The topics of `peer` that `region`'s MirrorMaker mirrors into `region`'s cluster. */
export function mirroredTopics(peer: string, region: string, domains: readonly string[]): string[] {
  return domains.flatMap((domain) => [domainTopic(peer, domain), directedTopic(peer, domain, region)]);
}

export interface CityAclOptions {
  city: string;
  /** Every region of the registry, the city included. */
  regions: readonly string[];
  domains: readonly string[];
  /** Every topic the city's services consume (`consumedTopics` of each service, together). */
  consumed: readonly string[];
  /** KAFKA_GROUP_PREFIX of the city's services: their groups are `<prefix><city>.<service>`. */
  groupPrefix?: string;
  /** The console's consumer group (its live feed); no console principal ACLs without it. */
  consoleGroup?: string;
}

const { TOPIC, GROUP, CLUSTER } = AclResourceTypes;
const { LITERAL, PREFIXED } = ResourcePatternTypes;
const OP = AclOperationTypes;

function allow(
  principal: string,
  resourceType: AclResourceTypes,
  resourcePatternType: ResourcePatternTypes,
  resourceName: string,
  operations: AclOperationTypes[],
): AclEntry[] {
  return operations.map((operation) => ({
    principal: `User:${principal}`,
    host: '*',
    permissionType: AclPermissionTypes.ALLOW,
    operation,
    resourceType,
    resourcePatternType,
    resourceName,
  }));
}

/**
 * The ACLs of one city's cluster (the README's table): the city's services write (and create) only topics with the
 * city's prefix, directed topics and dead letters included, and read only what they consume; only the city's
 * MirrorMaker writes its peers' prefixes there; each peer's MirrorMaker reads exactly what the city publishes for
 * it. Nothing else is allowed (allow.everyone.if.no.acl.found=false).
 */
export function cityAcls(options: CityAclOptions): AclEntry[] {
  const { city, regions, domains } = options;
  const peers = regions.filter((region) => region !== city);
  const services = servicesPrincipal(city);
  const mm2 = mirrorMakerPrincipal(city);
  const acls: AclEntry[] = [
    ...allow(services, TOPIC, PREFIXED, `${city}.`, [OP.WRITE, OP.CREATE, OP.DESCRIBE]),
    ...[...new Set(options.consumed)].flatMap((topic) =>
      allow(services, TOPIC, LITERAL, topic, [OP.READ, OP.DESCRIBE]),
    ),
    ...allow(services, GROUP, PREFIXED, `${options.groupPrefix ?? ''}${city}.`, [OP.READ, OP.DESCRIBE]),
    // MirrorMaker's Connect state, offset syncs and (unused) heartbeats live in the city's own cluster.
    ...allow(mm2, TOPIC, PREFIXED, 'mm2-', [OP.ALL]),
    ...allow(mm2, TOPIC, LITERAL, 'heartbeats', [OP.ALL]),
    ...allow(mm2, CLUSTER, LITERAL, 'kafka-cluster', [OP.DESCRIBE, OP.DESCRIBE_CONFIGS]),
  ];
  for (const peer of peers) {
    acls.push(
      // The mirrors (and the flow's checkpoints topic, `<peer>.checkpoints.internal`) and the flow's Connect group.
      ...allow(mm2, TOPIC, PREFIXED, `${peer}.`, [OP.ALL]),
      ...allow(mm2, GROUP, LITERAL, `${peer}-mm2`, [OP.ALL]),
      ...ownTopics(city, [peer], domains)
        .filter((topic) => topic !== deadLetterTopic(city))
        .flatMap((topic) =>
          allow(mirrorMakerPrincipal(peer), TOPIC, LITERAL, topic, [OP.READ, OP.DESCRIBE, OP.DESCRIBE_CONFIGS]),
        ),
    );
  }
  if (options.consoleGroup) {
    const console = consolePrincipal(city);
    const feed = [
      ...ownTopics(city, peers, domains).filter((topic) => topic !== deadLetterTopic(city)),
      ...peers.flatMap((peer) => mirroredTopics(peer, city, domains)),
    ];
    acls.push(
      ...feed.flatMap((topic) => allow(console, TOPIC, LITERAL, topic, [OP.READ, OP.DESCRIBE])),
      ...allow(console, GROUP, LITERAL, options.consoleGroup, [OP.READ, OP.DESCRIBE]),
    );
  }
  return acls;
}

export interface SecureCityOptions extends CityAclOptions {
  brokers: string;
  admin: ScramUser;
  partitions: number;
  /** Retention of every topic created here (explicit: never the broker's default). */
  retentionMs: number;
}

/**
 * Makes a secured city cluster ready for its services and MirrorMakers, as its broker's super user: the city's own
 * topics and those its MirrorMaker fills (created up front, since the broker creates none by itself), then the
 * ACLs. Both are idempotent: a second start changes nothing.
 */
export async function prepareCityCluster(options: SecureCityOptions): Promise<void> {
  const { city, regions, domains } = options;
  const peers = regions.filter((region) => region !== city);
  const topics = [...ownTopics(city, peers, domains), ...peers.flatMap((peer) => mirroredTopics(peer, city, domains))];
  const admin = new Kafka({
    brokers: options.brokers.split(','),
    logLevel: logLevel.NOTHING,
    ...scramClient(options.admin),
  }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: topics.map((topic) => ({
        topic,
        numPartitions: options.partitions,
        configEntries: [{ name: 'retention.ms', value: String(options.retentionMs) }],
      })),
      waitForLeaders: true,
    });
    const acls = cityAcls(options);
    await admin.createAcls({ acl: acls });
    await untilApplied(admin, acls);
  } finally {
    await admin.disconnect();
  }
}

/**
 * ACLs reach the broker's authorizer through the metadata log, a moment after the controller accepted them; the
 * broker answers DescribeAcls from that authorizer, so once it lists them all, they are enforced.
 */
async function untilApplied(admin: Admin, acls: AclEntry[], timeoutMs = 60_000): Promise<void> {
  const key = (acl: AclEntry) =>
    [acl.principal, acl.operation, acl.resourceType, acl.resourcePatternType, acl.resourceName].join(' ');
  const wanted = new Set(acls.map(key));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { resources } = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const applied = new Set(resources.flatMap((resource) => resource.acls.map((acl) => key({ ...resource, ...acl }))));
    if ([...wanted].every((acl) => applied.has(acl))) return;
    if (Date.now() > deadline) throw new Error(`the broker did not apply its ACLs within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
