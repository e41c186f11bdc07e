import { ClaimRow } from './benefit.repository';

/** A claim as the API shows it. */
export type ClaimView = Omit<ClaimRow, 'status' | 'requestedAt' | 'deadline' | 'decidedAt'> & {
  status: ClaimRow['status'] | 'timed-out';
  requestedAt: string;
  deadline: string;
  decidedAt: string | null;
};

/** Pending past its deadline reads as timed out; a late answer still counts (the certifier recorded it). */
export function claimView(claim: ClaimRow, now: Date): ClaimView {
  const timedOut = claim.status === 'pending' && now > claim.deadline;
  return {
    ...claim,
    status: timedOut ? 'timed-out' : claim.status,
    requestedAt: claim.requestedAt.toISOString(),
    deadline: claim.deadline.toISOString(),
    decidedAt: claim.decidedAt?.toISOString() ?? null,
  };
}
