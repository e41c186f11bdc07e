import { CertificationStatus, ClaimDecision, DenialReason } from '@app/contracts';
import { BenefitDto } from '../config/talent-config';

export interface CertificationFacts {
  tier: string;
  status: CertificationStatus;
  validFrom: string;
  validUntil: string;
}

export type Verdict = { decision: 'granted' } | { decision: 'denied'; reason: DenialReason; grantedIn?: string };

/** A verdict as recorded for a claimant: granted there, or denied (with where it was granted already, if known). */
export interface Outcome {
  decision: ClaimDecision;
  reason: DenialReason | null;
  grantedIn: string | null;
}

/** Valid on `date` (YYYY-MM-DD): active (neither suspended nor revoked) and within its validity, both ends included. */
export function isValidOn(certification: CertificationFacts, date: string): boolean {
  return certification.status === 'active' && certification.validFrom <= date && date <= certification.validUntil;
}

/**
 * The rules a claim is decided by: by the certifying city for an exclusive benefit (with the city where it was
 * already granted, if it was), by the granting city itself for a shared one.
 */
export function decideClaim(input: {
  benefit: BenefitDto | undefined;
  certifications: CertificationFacts[];
  on: string;
  alreadyGrantedIn?: string;
}): Verdict {
  const { benefit, certifications, on } = input;
  if (!benefit) return { decision: 'denied', reason: 'unknown-benefit' };
  if (certifications.length === 0) return { decision: 'denied', reason: 'not-certified' };
  if (benefit.kind === 'exclusive' && input.alreadyGrantedIn !== undefined) {
    return { decision: 'denied', reason: 'already-granted', grantedIn: input.alreadyGrantedIn };
  }
  const valid = certifications.filter((certification) => isValidOn(certification, on));
  if (valid.length === 0) return { decision: 'denied', reason: 'certification-not-valid' };
  if (!valid.some((certification) => benefit.eligibleTiers.includes(certification.tier))) {
    return { decision: 'denied', reason: 'tier-not-eligible' };
  }
  return { decision: 'granted' };
}

export function outcomeOf(verdict: Verdict, claimant: string): Outcome {
  return verdict.decision === 'granted'
    ? { decision: 'granted', reason: null, grantedIn: claimant }
    : { decision: 'denied', reason: verdict.reason, grantedIn: verdict.grantedIn ?? null };
}

/** The city that arbitrates the person's exclusive benefits: the issuer of their latest certification not revoked. */
export function certifierOf(held: readonly { origin: string; status: CertificationStatus }[]): string {
  const live = held.filter((row) => row.status !== 'revoked');
  return (live.length > 0 ? live : held).at(-1)!.origin;
}
