import { ArrayMaxSize, ArrayMinSize, IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PSEUDONYM_PATTERN } from '../pseudonym';
import { SERVICE_NAMES, ServiceName } from '../services';
import { IsRegionName } from '../health/health-fields';

/** A position in an audit chain: 1, 2, 3, … as text (bigint). */
const SEQ_PATTERN = /^[1-9]\d{0,18}$/;
/** An audit chain link: SHA-256, lower-case hex. */
const CHAIN_HASH_PATTERN = /^[0-9a-f]{64}$/;

export const AUDIT_ANCHORED_V1 = 'cn.shuanglai.bus.audit.anchored.v1';

/**
 * The head of the publishing instance's hash-chained audit log, broadcast periodically on its own domain topic
 * (signed like every event), so that the same service of every other city keeps it outside this node: a chain
 * truncated or rewritten later no longer reaches the anchored head.
 */
export class AuditAnchoredV1 {
  /** The service whose chain this is; only the same service of a peer city keeps it. */
  @IsIn(SERVICE_NAMES)
  service!: ServiceName;

  @Matches(SEQ_PATTERN, { message: 'seq must be a positive whole number' })
  seq!: string;

  @Matches(CHAIN_HASH_PATTERN, { message: 'hash must be 64 lower-case hex digits' })
  hash!: string;

  /** When the head entry was appended. */
  @IsISO8601({ strict: true })
  at!: string;
}

export const AUDIT_ANCHOR_ACKNOWLEDGED_V1 = 'cn.shuanglai.bus.audit.anchor-acknowledged.v1';

/**
 * A peer's answer to an anchor, directed to the chain's city: the furthest anchor of that chain the peer holds
 * (not necessarily the one just received), so the chain's city can check its log against it in `/audit/verify`.
 */
export class AuditAnchorAcknowledgedV1 {
  @IsIn(SERVICE_NAMES)
  service!: ServiceName;

  @Matches(SEQ_PATTERN, { message: 'seq must be a positive whole number' })
  seq!: string;

  @Matches(CHAIN_HASH_PATTERN, { message: 'hash must be 64 lower-case hex digits' })
  hash!: string;

  @IsISO8601({ strict: true })
  at!: string;
}

export const AUDIT_ACCESS_REPORTED_V1 = 'cn.shuanglai.bus.audit.access-reported.v1';

/**
 * The most persons one report names, and records it lists: a read of more (a page of alert deliveries) is audited
 * and reported as several reads, each within the bounds; the reader refuses to record a read over them.
 */
export const ACCESS_REPORT_MAX_SUBJECTS = 1000;
export const ACCESS_REPORT_MAX_RESOURCES = 10_000;

/**
 * Someone in the publishing city read personal data whose home is the target city: directed to that city, which
 * keeps it to answer "who in the other city read data about this person, when, for what purpose". Mirrors the
 * reader's audit entry, appended in the same transaction.
 */
export class AccessReportedV1 {
  @IsIn(SERVICE_NAMES)
  service!: ServiceName;

  /** Whose data: the keyed pseudonyms of the persons it is about (one patient; the persons of an alert). */
  @ArrayMinSize(1)
  @ArrayMaxSize(ACCESS_REPORT_MAX_SUBJECTS)
  @Matches(PSEUDONYM_PATTERN, { each: true, message: 'each subject must be a pseudonym (p1.…)' })
  subjects!: string[];

  @IsString()
  @MaxLength(200)
  actor!: string;

  @IsString()
  @MaxLength(100)
  role!: string;

  @IsString()
  @MaxLength(200)
  org!: string;

  @IsRegionName()
  actorRegion!: string;

  /** What was done, as `<domain>.<thing>.<verb>`: `lab.result.read`. */
  @Matches(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){1,4}$/, { message: 'action must be dotted lower-case words' })
  action!: string;

  /** As the reader stated it: a code (`continuity-of-care`) or free text (talent's "housing subsidy application"). */
  @IsOptional()
  @IsString()
  @MaxLength(300)
  purpose?: string;

  /** The records, documents, results or alerts of the target city that were read. */
  @ArrayMaxSize(ACCESS_REPORT_MAX_RESOURCES)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  resources!: string[];

  /** The reader's audit entry (id in its hash-chained log) and when it was written. */
  @Matches(/^[1-9]\d{0,18}$/, { message: 'auditEntryId must be a positive whole number' })
  auditEntryId!: string;

  @IsISO8601({ strict: true })
  at!: string;
}
