import { CaseStatus } from '@app/contracts';
import { WorkingCalendar, chinaDate, nextDay, startOfChinaDay } from './working-calendar';

/** The part of a case its working-day clock reads and writes. */
export interface ClockState {
  limit_days: number;
  accepted_on: string | null;
  paused_since: string | null;
  paused_days: number;
  deadline: string | null;
  warned: boolean;
  escalated: boolean;
}

/** Share of the time limit after which the supervising office is warned. */
export const WARNING_SHARE = 0.8;

export type DueAlert = { kind: 'warning' | 'overdue'; dueAt: Date };

/**
 * The clock after a case entered `status` at `now`: it starts at acceptance (受理), pauses while supplements are
 * due (补正, the paused working days are added to the limit) and stops at the decision. Returns the new state and
 * the alerts still to come (none while paused or stopped).
 */
export function advanceClock(
  calendar: WorkingCalendar,
  state: ClockState,
  status: CaseStatus,
  now: Date,
): { state: ClockState; due: DueAlert[] } {
  const today = chinaDate(now);
  const next = { ...state };
  if (status === 'accepted' && next.accepted_on === null) next.accepted_on = today;
  if (status === 'supplement-requested' && next.accepted_on !== null && next.paused_since === null) {
    next.paused_since = today;
  }
  if (status === 'supplement-provided' && next.paused_since !== null) {
    next.paused_days += calendar.workingDaysBetween(next.paused_since, today);
    next.paused_since = null;
  }
  if (next.accepted_on === null) return { state: next, due: [] };
  next.deadline = calendar.addWorkingDays(next.accepted_on, next.limit_days + next.paused_days);
  const running = next.paused_since === null && ['accepted', 'supplement-provided', 'under-review'].includes(status);
  if (!running) return { state: next, due: [] };
  const due: DueAlert[] = [];
  if (!next.warned) {
    const warnOn = calendar.addWorkingDays(
      next.accepted_on,
      Math.ceil(next.limit_days * WARNING_SHARE) + next.paused_days,
    );
    due.push({ kind: 'warning', dueAt: startOfChinaDay(warnOn) });
  }
  // Overdue once the last working day of the limit has passed.
  if (!next.escalated) due.push({ kind: 'overdue', dueAt: startOfChinaDay(nextDay(next.deadline)) });
  return { state: next, due };
}
