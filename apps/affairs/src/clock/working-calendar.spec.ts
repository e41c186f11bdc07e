import { WorkingCalendar, chinaDate, startOfChinaDay } from './working-calendar';

describe(WorkingCalendar.name, () => {
  // National Day 2026: 1 to 7 October off, Saturday 10 October worked.
  const calendar = new WorkingCalendar({
    holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
    workdays: ['2026-10-10'],
  });

  it('knows weekends, holidays and adjusted working days', () => {
    expect(calendar.isWorkingDay('2026-09-30')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-01')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-03')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-11')).toBe(false);
  });

  it('adds working days over a holiday and counts them back', () => {
    expect(calendar.addWorkingDays('2026-09-29', 2)).toBe('2026-10-08');
    expect(calendar.addWorkingDays('2026-09-29', 3)).toBe('2026-10-09');
    expect(calendar.addWorkingDays('2026-09-29', 4)).toBe('2026-10-10');
    expect(calendar.workingDaysBetween('2026-09-29', '2026-10-10')).toBe(4);
    expect(calendar.workingDaysBetween('2026-10-10', '2026-09-29')).toBe(0);
    expect(calendar.addWorkingDays('2026-09-29', 0)).toBe('2026-09-29');
  });

  it("counts days in China's calendar", () => {
    expect(chinaDate(new Date('2026-09-30T16:30:00Z'))).toBe('2026-10-01');
    expect(startOfChinaDay('2026-10-01').toISOString()).toBe('2026-09-30T16:00:00.000Z');
  });
});
