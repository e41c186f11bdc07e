import { ClockState, advanceClock } from './case-clock';
import { WorkingCalendar } from './working-calendar';

describe(advanceClock.name, () => {
  const calendar = new WorkingCalendar({ holidays: ['2026-10-01', '2026-10-02'], workdays: [] });
  const fresh: ClockState = {
    limit_days: 5,
    accepted_on: null,
    paused_since: null,
    paused_days: 0,
    deadline: null,
    warned: false,
    escalated: false,
  };
  // 10:00 in China on Monday 28 September 2026.
  const monday = new Date('2026-09-28T02:00:00Z');
  const day = (n: number) => new Date(monday.getTime() + n * 24 * 3600 * 1000);

  it('does not run before acceptance', () => {
    expect(advanceClock(calendar, fresh, 'received', monday)).toEqual({ state: fresh, due: [] });
  });

  it('starts at acceptance: the deadline skips the weekend and holidays, the warning comes at 80 %', () => {
    const { state, due } = advanceClock(calendar, fresh, 'accepted', monday);
    // 29, 30 Sep, (1, 2 Oct holidays, 3, 4 weekend), 5, 6, 7 Oct.
    expect(state).toMatchObject({ accepted_on: '2026-09-28', deadline: '2026-10-07' });
    expect(due).toEqual([
      { kind: 'warning', dueAt: new Date('2026-10-05T16:00:00Z') },
      { kind: 'overdue', dueAt: new Date('2026-10-07T16:00:00Z') },
    ]);
  });

  it('pauses while a supplement is due and adds the paused working days to the limit', () => {
    const accepted = advanceClock(calendar, fresh, 'accepted', monday).state;
    const paused = advanceClock(calendar, accepted, 'supplement-requested', day(1));
    expect(paused.due).toEqual([]);
    expect(paused.state.paused_since).toBe('2026-09-29');
    // Provided on Tuesday 6 October: 30 Sep, 5 and 6 Oct were working days of the pause.
    const resumed = advanceClock(calendar, paused.state, 'supplement-provided', day(8));
    expect(resumed.state).toMatchObject({ paused_since: null, paused_days: 3, deadline: '2026-10-12' });
    expect(resumed.due.map((alert) => alert.kind)).toEqual(['warning', 'overdue']);
  });

  it('stops at the decision and never schedules an alert twice', () => {
    const accepted = advanceClock(calendar, fresh, 'accepted', monday).state;
    expect(advanceClock(calendar, accepted, 'approved', day(2)).due).toEqual([]);
    const warned = { ...accepted, warned: true };
    expect(advanceClock(calendar, warned, 'under-review', day(2)).due.map((alert) => alert.kind)).toEqual(['overdue']);
  });
});
