import { LabReportStatus } from '@app/contracts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The answer for one requested test code; the reason is machine-readable and stable. */
export const REUSE_REASONS = [
  'REUSABLE',
  /** Reusable, but the result was abnormal: flagged for the doctor's judgement. */
  'ABNORMAL_RESULT',
  'NOT_IN_JOINT_CATALOGUE',
  'OUTSIDE_VALIDITY_WINDOW',
  'LAB_NOT_QUALIFIED',
  /** The latest version of the report no longer carries this result (an amendment withdrew it). */
  'REPORT_AMENDED',
  'REPORT_CANCELLED',
  'NO_CONSENT',
  'NO_PRIOR_RESULT',
] as const;
export type ReuseReason = (typeof REUSE_REASONS)[number];

/** One city's catalogue version in force at the time of the question: recognised codes → validity in days. */
export interface CatalogueInForce {
  region: string;
  version: number;
  /** Codes this city recognises across the line, with their validity window in days. */
  recognised: ReadonlyMap<string, number>;
}

export interface QualificationPeriod {
  validFrom: Date;
  validUntil: Date;
  eqaPassed: boolean;
  suspendedFrom: Date | null;
}

/** A prior result of another city for the requested code, as stored here (the latest version of its report). */
export interface Candidate {
  origin: string;
  reportId: string;
  reportVersion: number;
  status: LabReportStatus;
  /** The latest version of the report dropped this item. */
  withdrawn: boolean;
  labId: string;
  collectedAt: Date;
  abnormal: boolean;
  /** The qualifications the issuing city published for the lab. */
  qualifications: QualificationPeriod[];
}

export interface ReuseContext {
  now: Date;
  /** This city's catalogue in force now (undefined before its first version takes effect). */
  local: CatalogueInForce | undefined;
  /** Each peer's catalogue in force now, by region. */
  peers: ReadonlyMap<string, CatalogueInForce>;
  /** Peers whose results this city may use for the patient now (an active consent granted to it). */
  consentingPeers: ReadonlySet<string>;
}

export interface CatalogueRef {
  region: string;
  version: number;
}

export interface Verdict<C extends Candidate = Candidate> {
  reason: ReuseReason;
  reusable: boolean;
  /** The catalogue versions that decided recognition (both cities' versions, when both exist). */
  catalogue: CatalogueRef[];
  /** The result the verdict is about; absent when there was none to judge. */
  candidate?: C;
  /** The joint validity window applied, in days. */
  validityDays?: number;
}

/** Qualified at `at`: a period with a passed EQA covers it and was not suspended before it. */
export function labQualifiedAt(periods: QualificationPeriod[], at: Date): boolean {
  const t = at.getTime();
  return periods.some(
    (period) =>
      period.eqaPassed &&
      period.validFrom.getTime() <= t &&
      t < period.validUntil.getTime() &&
      (period.suspendedFrom === null || t < period.suspendedFrom.getTime()),
  );
}

/**
 * The joint catalogue of this city and the issuing one is their agreement: an item is recognised only if both list
 * it, and the stricter (shorter) validity window applies.
 */
export function jointValidityDays(
  code: string,
  local: CatalogueInForce | undefined,
  issuer: CatalogueInForce | undefined,
): number | undefined {
  const mine = local?.recognised.get(code);
  const theirs = issuer?.recognised.get(code);
  return mine === undefined || theirs === undefined ? undefined : Math.min(mine, theirs);
}

function refs(...catalogues: (CatalogueInForce | undefined)[]): CatalogueRef[] {
  return catalogues
    .filter((c): c is CatalogueInForce => c !== undefined)
    .map((c) => ({ region: c.region, version: c.version }));
}

/** The verdict on one prior result, the checks in a fixed order (the first that fails names the reason). */
export function judgeCandidate<C extends Candidate>(code: string, candidate: C, context: ReuseContext): Verdict<C> {
  const issuer = context.peers.get(candidate.origin);
  const catalogue = refs(context.local, issuer);
  const verdict = (reason: ReuseReason, validityDays?: number): Verdict<C> => ({
    reason,
    reusable: reason === 'REUSABLE' || reason === 'ABNORMAL_RESULT',
    catalogue,
    candidate,
    ...(validityDays !== undefined && { validityDays }),
  });
  if (!context.consentingPeers.has(candidate.origin)) return verdict('NO_CONSENT');
  if (candidate.status === 'cancelled') return verdict('REPORT_CANCELLED');
  if (candidate.withdrawn) return verdict('REPORT_AMENDED');
  const validityDays = jointValidityDays(code, context.local, issuer);
  if (validityDays === undefined) return verdict('NOT_IN_JOINT_CATALOGUE');
  if (!labQualifiedAt(candidate.qualifications, candidate.collectedAt))
    return verdict('LAB_NOT_QUALIFIED', validityDays);
  if (context.now.getTime() - candidate.collectedAt.getTime() > validityDays * DAY_MS) {
    return verdict('OUTSIDE_VALIDITY_WINDOW', validityDays);
  }
  return verdict(candidate.abnormal ? 'ABNORMAL_RESULT' : 'REUSABLE', validityDays);
}

const RANK: Partial<Record<ReuseReason, number>> = { REUSABLE: 2, ABNORMAL_RESULT: 1 };

/**
 * The answer for one requested code: the most recent reusable normal result, else the most recent reusable
 * abnormal one, else the reason of the most recent result. Without any prior result, the reason says whether one
 * could have counted at all (not in the joint catalogue with any peer, no consent) or there simply is none.
 */
export function answerFor<C extends Candidate>(code: string, candidates: C[], context: ReuseContext): Verdict<C> {
  if (candidates.length > 0) {
    const verdicts = candidates.map((candidate) => judgeCandidate(code, candidate, context));
    verdicts.sort(
      (a, b) =>
        (RANK[b.reason] ?? 0) - (RANK[a.reason] ?? 0) ||
        b.candidate!.collectedAt.getTime() - a.candidate!.collectedAt.getTime(),
    );
    return verdicts[0];
  }
  const recognisingPeers = [...context.peers.values()].filter(
    (peer) => jointValidityDays(code, context.local, peer) !== undefined,
  );
  if (recognisingPeers.length === 0) {
    return {
      reason: 'NOT_IN_JOINT_CATALOGUE',
      reusable: false,
      catalogue: refs(context.local, ...context.peers.values()),
    };
  }
  const catalogue = refs(context.local, ...recognisingPeers);
  if (!recognisingPeers.some((peer) => context.consentingPeers.has(peer.region))) {
    return { reason: 'NO_CONSENT', reusable: false, catalogue };
  }
  return { reason: 'NO_PRIOR_RESULT', reusable: false, catalogue };
}
