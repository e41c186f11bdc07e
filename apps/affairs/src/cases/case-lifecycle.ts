import { CaseStatus, FieldError } from '@app/contracts';
import { DomainError } from '@app/http';

/** Where each state may go; the handling city decides every step but `supplement-provided` (the filing window's). */
const NEXT: Record<CaseStatus, readonly CaseStatus[]> = {
  submitted: ['received'],
  received: ['accepted', 'not-accepted', 'supplement-requested'],
  accepted: ['under-review', 'supplement-requested'],
  'not-accepted': [],
  'supplement-requested': ['supplement-provided'],
  'supplement-provided': ['accepted', 'not-accepted', 'under-review', 'supplement-requested'],
  'under-review': ['approved', 'denied', 'supplement-requested'],
  approved: ['result-issued'],
  denied: ['delivered'],
  'result-issued': ['delivered'],
  delivered: [],
};

/** The states a case officer sets (`received` is set on arrival, `supplement-provided` by the filing window). */
export const OFFICER_STATUSES = [
  'accepted',
  'not-accepted',
  'supplement-requested',
  'under-review',
  'approved',
  'denied',
  'result-issued',
  'delivered',
] as const satisfies readonly CaseStatus[];
export type OfficerStatus = (typeof OFFICER_STATUSES)[number];

export const TERMINAL_STATUSES: readonly CaseStatus[] = ['not-accepted', 'delivered'];

/** Whether the working-day clock runs in this state (it starts at acceptance and pauses while supplements are due). */
export function clockRuns(status: CaseStatus, accepted: boolean): boolean {
  return (
    accepted &&
    !['supplement-requested', 'not-accepted', 'approved', 'denied', 'result-issued', 'delivered'].includes(status)
  );
}

/**
 * 409 when the case cannot go from `from` to `to`. After a supplement, a case not yet accepted is accepted (or not)
 * first, and one already accepted goes back under review.
 */
export function assertTransition(from: CaseStatus, to: CaseStatus, accepted: boolean): void {
  let allowed = NEXT[from].includes(to);
  if (allowed && from === 'supplement-provided') {
    allowed = accepted ? to === 'under-review' || to === 'supplement-requested' : to !== 'under-review';
  }
  if (!allowed) {
    throw new DomainError('AFFAIRS.ILLEGAL_TRANSITION', 'conflict', `A case ${from} cannot become ${to}`, {
      details: { from, to, allowed: NEXT[from] },
    });
  }
}

/** What each decision must carry: a reason to refuse, a legal basis to deny, the list of supplements asked for. */
export function decisionErrors(decision: {
  status: OfficerStatus;
  reason?: string;
  legalBasis?: string;
  supplement?: string[];
  deliveredBy?: string;
}): FieldError[] {
  const errors: FieldError[] = [];
  const need = (field: string, message: string) => errors.push({ field, messages: [message] });
  if ((decision.status === 'not-accepted' || decision.status === 'denied') && !decision.reason) {
    need('reason', `reason is required when a case is ${decision.status}`);
  }
  if (decision.status === 'denied' && !decision.legalBasis) need('legalBasis', 'legalBasis is required for a denial');
  if (decision.status === 'supplement-requested' && !decision.supplement?.length) {
    need('supplement', 'supplement must list what the applicant has to supplement');
  }
  if (decision.status === 'delivered' && !decision.deliveredBy) {
    need('deliveredBy', "deliveredBy ('window' or 'post') is required on delivery");
  }
  return errors;
}
