import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { ChainVerdict } from '@app/audit';
import type { DeadLetter, StreamStatus } from '@app/bus';
import { SERVICES, ServiceName, parseTopic } from '@app/contracts';

/** What one service instance answered on its operator endpoints (undefined: that call failed). */
export interface NodeReport {
  region: string;
  service: ServiceName;
  url: string;
  health?: { httpStatus: number; body: HealthBody };
  /** Why the instance could not be asked at all (refused, timed out). */
  unreachable?: string;
  metrics?: string;
  streams?: StreamReport[];
  outbox?: { pending: number; oldestPendingAt: string | null; published?: { topic: string; lastSeq: string }[] };
  deadLetters?: DeadLetterReport[];
  audit?: AuditVerdict;
  /** A ledger node's answer to `GET /ledger/agreement`. */
  ledger?: LedgerAgreementReport;
}

/** Whether both cities hold the same ledger, as one ledger node sees it. */
export interface LedgerAgreementReport {
  agree: boolean;
  summary: string;
  logs: {
    log: string;
    size: number;
    agreedUpTo: number;
    firstDifference?: { index: number; foundBy: string; reason: string };
  }[];
  equivocations: number;
}

export interface HealthBody {
  status?: string;
  details?: Record<
    string,
    { status?: string; message?: string; heartbeats?: { region: string; lastSeen: string }[] } | undefined
  >;
}

/** The services' own answers, as JSON carries them. */
export type StreamReport = StreamStatus;

export type DeadLetterReport = Omit<DeadLetter, 'partition' | 'offset' | 'key' | 'headers' | 'resolvedAt'>;

export type AuditVerdict = ChainVerdict;

export interface NodeStatus {
  region: string;
  service: ServiceName;
  url: string;
  healthy: boolean;
  /** The dependencies that are down, or why the node could not be reached. */
  problems: string[];
  outboxPending: number | null;
  deadLetters: number | null;
  /** Missing ranges in the streams this node receives; null when it could not be asked. */
  gaps: number | null;
  audit: AuditVerdict | null;
  /** A ledger node's agreement check; null for other services or when it could not be asked. */
  ledger: LedgerAgreementReport | null;
  /** When this node last heard each peer region's heartbeat. */
  peersHeard: { region: string; lastSeen: string }[];
}

/** One peer topic as seen by one consumer: what its origin sent, what arrived here, how far behind. */
export interface LinkStatus {
  topic: string;
  origin: string;
  consumer: { region: string; service: ServiceName };
  published: number | null;
  applied: number;
  duplicates: number;
  ignored: number;
  deadLettered: number;
  lag: number | null;
  lastEventAt: string | null;
}

export interface CompletenessStatus {
  consumer: { region: string; service: ServiceName };
  origin: string;
  topic: string;
  highestContiguous: string;
  highest: string;
  received: string;
  gaps: { from: string; to: string }[];
  /** The origin's last sequence number on the topic (null when the origin could not be asked). */
  published: string | null;
  /** Everything the origin published on the topic is here. */
  complete: boolean;
}

export interface DeadLetterStatus extends DeadLetterReport {
  region: string;
  service: ServiceName;
}

export interface FleetSnapshot {
  at: string;
  regions: { name: string; label: string }[];
  services: ServiceName[];
  nodes: NodeStatus[];
  links: LinkStatus[];
  completeness: CompletenessStatus[];
  deadLetters: DeadLetterStatus[];
}

type Samples = Map<string, { labels: Record<string, string>; value: number }[]>;

/** Counters and gauges of one /metrics page, by metric name. */
export function parseMetrics(text: string): Samples {
  const samples: Samples = new Map();
  // The parser drops a last sample that has no newline after it.
  for (const family of parsePrometheusTextFormat(text.endsWith('\n') ? text : `${text}\n`)) {
    if (family.type !== 'COUNTER' && family.type !== 'GAUGE') continue;
    samples.set(
      family.name,
      family.metrics.map((metric) => ({ labels: metric.labels ?? {}, value: Number(metric.value) })),
    );
  }
  return samples;
}

function sum(samples: Samples, name: string, match: Record<string, string>): number {
  return (samples.get(name) ?? [])
    .filter((sample) => Object.entries(match).every(([label, value]) => sample.labels[label] === value))
    .reduce((total, sample) => total + sample.value, 0);
}

function has(samples: Samples, name: string, match: Record<string, string>): boolean {
  return (samples.get(name) ?? []).some((sample) =>
    Object.entries(match).every(([label, value]) => sample.labels[label] === value),
  );
}

/** Turns every node's answers into the one picture the page draws. */
export function buildSnapshot(
  reports: NodeReport[],
  regions: { name: string; label: string }[],
  services: ServiceName[],
  at = new Date(),
): FleetSnapshot {
  const metrics = new Map(reports.map((report) => [report, report.metrics ? parseMetrics(report.metrics) : undefined]));

  const nodes: NodeStatus[] = reports.map((report) => ({
    region: report.region,
    service: report.service,
    url: report.url,
    healthy: report.health?.httpStatus === 200,
    problems: problemsOf(report),
    outboxPending: report.outbox?.pending ?? null,
    deadLetters: report.deadLetters?.length ?? null,
    gaps: report.streams ? report.streams.reduce((total, stream) => total + stream.gaps.length, 0) : null,
    audit: report.audit ?? null,
    ledger: report.ledger ?? null,
    peersHeard: latestHeartbeats(report.health?.body.details?.peers?.heartbeats ?? []),
  }));

  // The origin's last sequence number per topic: exact, and unlike its counters it survives restarts.
  const lastSeq = (topic: string): string | null =>
    reports.flatMap((report) => report.outbox?.published ?? []).find((entry) => entry.topic === topic)?.lastSeq ?? null;
  const links: LinkStatus[] = [];
  for (const report of reports) {
    const samples = metrics.get(report);
    if (!samples) continue;
    const topics = new Set(
      [...(samples.get('bus_events_consumed_total') ?? []), ...(samples.get('bus_consumer_lag') ?? [])]
        .map((sample) => sample.labels.topic)
        .filter((topic): topic is string => Boolean(topic)),
    );
    for (const topic of topics) {
      const { owner: origin, domain } = parseTopic(topic) ?? { owner: topic, domain: '' };
      // The origin's service of that domain publishes the topic; a counter it has not created yet means none sent.
      const publisher = reports.find((other) => other.region === origin && SERVICES[other.service].domain === domain);
      const published = publisher && metrics.get(publisher);
      const last = (samples.get('bus_last_event_timestamp_seconds') ?? [])
        .filter((sample) => sample.labels.topic === topic)
        .reduce((latest, sample) => Math.max(latest, sample.value), 0);
      links.push({
        topic,
        origin,
        consumer: { region: report.region, service: report.service },
        published: published ? Number(lastSeq(topic) ?? sum(published, 'bus_events_published_total', { topic })) : null,
        applied: sum(samples, 'bus_events_consumed_total', { topic, outcome: 'applied' }),
        duplicates: sum(samples, 'bus_events_consumed_total', { topic, outcome: 'duplicate' }),
        ignored: sum(samples, 'bus_events_consumed_total', { topic, outcome: 'ignored' }),
        deadLettered: sum(samples, 'bus_events_consumed_total', { topic, outcome: 'dead_lettered' }),
        lag: has(samples, 'bus_consumer_lag', { topic }) ? sum(samples, 'bus_consumer_lag', { topic }) : null,
        lastEventAt: last > 0 ? new Date(last * 1000).toISOString() : null,
      });
    }
  }
  links.sort((a, b) => a.topic.localeCompare(b.topic) || a.consumer.region.localeCompare(b.consumer.region));

  const completeness: CompletenessStatus[] = reports.flatMap((report) =>
    (report.streams ?? []).map((stream) => {
      const published = lastSeq(stream.topic);
      const caughtUp = published === null || BigInt(stream.highestContiguous) >= BigInt(published);
      return {
        consumer: { region: report.region, service: report.service },
        ...stream,
        published,
        complete: stream.gaps.length === 0 && stream.highestContiguous === stream.highest && caughtUp,
      };
    }),
  );

  const deadLetters: DeadLetterStatus[] = reports
    .flatMap((report) =>
      (report.deadLetters ?? []).map((letter) => ({ ...letter, region: report.region, service: report.service })),
    )
    .sort((a, b) => b.deadAt.localeCompare(a.deadAt));

  return { at: at.toISOString(), regions, services, nodes, links, completeness, deadLetters };
}

function problemsOf(report: NodeReport): string[] {
  if (report.unreachable) return [report.unreachable];
  if (!report.health) return ['no answer from /health'];
  if (report.health.httpStatus === 200) return [];
  const down = Object.entries(report.health.body.details ?? {})
    .filter(([, detail]) => detail?.status && detail.status !== 'up')
    .map(([name, detail]) => `${name} down${detail?.message ? `: ${detail.message}` : ''}`);
  return down.length > 0 ? down : [`/health answered ${report.health.httpStatus}`];
}

/** The latest heartbeat per peer region (a region runs one or more instances of the service). */
function latestHeartbeats(heartbeats: { region: string; lastSeen: string }[]): { region: string; lastSeen: string }[] {
  const latest = new Map<string, string>();
  for (const { region, lastSeen } of heartbeats) {
    if ((latest.get(region) ?? '') < lastSeen) latest.set(region, lastSeen);
  }
  return [...latest].sort(([a], [b]) => a.localeCompare(b)).map(([region, lastSeen]) => ({ region, lastSeen }));
}
