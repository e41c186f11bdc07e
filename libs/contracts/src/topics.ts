import { Domain } from './services';

/**
 * One topic per (origin region, domain): `laixi.health`. A region writes only its own prefix and reads its
 * peers'; the same names are what MirrorMaker 2 produces with its identity replication policy.
 */
export function domainTopic(region: string, domain: Domain): string {
  return `${region}.${domain}`;
}

/**
 * The directed topic of events addressed to one region (`laixi.health.laiyang`): requests, answers and personal
 * data meant for that region alone. Only the target subscribes (and only it is mirrored there), so the other
 * regions never learn that such an event exists.
 */
export function directedTopic(region: string, domain: Domain, target: string): string {
  return `${region}.${domain}.${target}`;
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

/** `owner.domain` or `owner.domain.target`; undefined for any other shape (dead-letter topics included). */
export function parseTopic(topic: string): { owner: string; domain: string; target?: string } | undefined {
  const parts = topic.split('.');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => part === '')) return undefined;
  const [owner, domain, target] = parts;
  return { owner, domain, ...(target !== undefined && { target }) };
}
