import { Domain } from './services';

/**
 * One topic per (origin region, domain): `laixi.health`. A region writes only its own prefix and reads its
 * peers'; the same names are what MirrorMaker 2 produces with its identity replication policy.
 */
export function domainTopic(region: string, domain: Domain): string {
  return `${region}.${domain}`;
}

/** Region r's dead-letter topic. */
export function deadLetterTopic(region: string): string {
  return `${region}.dlq`;
}

/** The region that owns a topic: the prefix before the first dot. */
export function topicOwner(topic: string): string {
  const dot = topic.indexOf('.');
  return dot < 0 ? '' : topic.slice(0, dot);
}
