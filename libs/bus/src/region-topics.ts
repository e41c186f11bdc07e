import { ConfigResourceTypes, ConfigSource, Kafka } from 'kafkajs';
import { SERVICES, deadLetterTopic } from '@app/contracts';

export interface RegionTopicsOptions {
  region: string;
  /** Every region of the registry, this one included. */
  regions: readonly string[];
  /** KAFKA_PARTITIONS. */
  partitions: number;
  /** KAFKA_RETENTION_MS: retention.ms of every topic; -1 keeps events forever. */
  retentionMs: number;
}

const DOMAINS: readonly string[] = [...new Set(Object.values(SERVICES).map((service) => service.domain))];
/** Domains that another service of the same region reads (lab-results reads health): addressed to the region itself too. */
const READ_DOMAINS: ReadonlySet<string> = new Set(Object.values(SERVICES).flatMap((service) => [...service.reads]));

/**
 * The topics a region writes: per domain, the broadcast topic and one directed to each peer (and to itself when
 * another of its services reads the domain), and its dead letters.
 */
export function regionTopics(region: string, regions: readonly string[]): string[] {
  return [
    ...DOMAINS.flatMap((domain) => [
      `${region}.${domain}`,
      ...regions
        .filter((target) => target !== region || READ_DOMAINS.has(domain))
        .map((target) => `${region}.${domain}.${target}`),
    ]),
    deadLetterTopic(region),
  ];
}

/**
 * Creates the region's topics that are missing, with `partitions` partitions and the configured retention.ms, and
 * sets retention.ms on those that exist with another (a consumer may have auto-created one with the broker's
 * defaults). Idempotent: services call it at boot, and a launcher may call it before starting them. Other topic
 * settings set by an operator are kept; partitions of an existing topic are never changed (keys would move).
 */
export async function ensureRegionTopics(
  kafka: Kafka,
  options: RegionTopicsOptions,
): Promise<{ created: string[]; retentionSet: string[] }> {
  const topics = regionTopics(options.region, options.regions);
  const retention = String(options.retentionMs);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const created = topics.filter((topic) => !existing.has(topic));
    if (created.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: created.map((topic) => ({
          topic,
          numPartitions: options.partitions,
          configEntries: [{ name: 'retention.ms', value: retention }],
        })),
      });
    }
    const present = topics.filter((topic) => existing.has(topic));
    if (present.length === 0) return { created, retentionSet: [] };
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: present.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
    });
    const differing = resources.filter(
      (resource) =>
        resource.configEntries.find((entry) => entry.configName === 'retention.ms')?.configValue !== retention,
    );
    if (differing.length > 0) {
      // AlterConfigs replaces a topic's whole set of overrides: send the ones it has, with retention.ms changed.
      await admin.alterConfigs({
        validateOnly: false,
        resources: differing.map((resource) => ({
          type: ConfigResourceTypes.TOPIC,
          name: resource.resourceName,
          configEntries: [
            ...resource.configEntries
              .filter(
                (entry) =>
                  entry.configSource === ConfigSource.TOPIC_CONFIG &&
                  !entry.isSensitive &&
                  entry.configName !== 'retention.ms',
              )
              .map((entry) => ({ name: entry.configName, value: entry.configValue })),
            { name: 'retention.ms', value: retention },
          ],
        })),
      });
    }
    return { created, retentionSet: differing.map((resource) => resource.resourceName) };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
