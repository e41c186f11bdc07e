import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ArrayMaxSize, IsArray, Matches } from 'class-validator';
import { ConfigError, validateConfig } from '@app/config';
import { AffairsConfig } from '../affairs.config';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 3600 * 1000;
// Time limits are counted in China's calendar days; UTC+8 has no daylight saving time.
const CHINA_OFFSET_MS = 8 * 3600 * 1000;
/** No time limit reaches further: a bound on every loop over days. */
const MAX_SPAN_DAYS = 3 * 366;

export class CalendarFile {
  /** Public holidays on weekdays (法定节假日). */
  @IsArray()
  @ArrayMaxSize(2000)
  @Matches(DATE, { each: true })
  holidays!: string[];

  /** Weekend days that are working days (调休上班). */
  @IsArray()
  @ArrayMaxSize(2000)
  @Matches(DATE, { each: true })
  workdays!: string[];
}

/** A city's working days: Monday to Friday, less its public holidays, plus its adjusted working weekends. */
export class WorkingCalendar {
  private readonly holidays: ReadonlySet<string>;
  private readonly workdays: ReadonlySet<string>;

  constructor(file: CalendarFile) {
    this.holidays = new Set(file.holidays);
    this.workdays = new Set(file.workdays);
  }

  static load(config: AffairsConfig): WorkingCalendar {
    const path = resolve(config.AFFAIRS_CALENDAR_FILE);
    const source = `AFFAIRS_CALENDAR_FILE ${path}`;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigError(`${source}: ${(error as Error).message}`);
    }
    return new WorkingCalendar(validateConfig(CalendarFile, raw, source));
  }

  isWorkingDay(date: string): boolean {
    if (this.workdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** The date of the n-th working day after `date` (which is not counted); `date` itself when n is 0. */
  addWorkingDays(date: string, n: number): string {
    let current = date;
    for (let counted = 0, steps = 0; counted < n; steps++) {
      if (steps > MAX_SPAN_DAYS) throw new Error(`no ${n} working days within ${MAX_SPAN_DAYS} days of ${date}`);
      current = nextDay(current);
      if (this.isWorkingDay(current)) counted++;
    }
    return current;
  }

  /** Working days in (from, to]: 0 when `to` is not after `from`. */
  workingDaysBetween(from: string, to: string): number {
    let count = 0;
    for (let current = from, steps = 0; current < to && steps <= MAX_SPAN_DAYS; steps++) {
      current = nextDay(current);
      if (this.isWorkingDay(current)) count++;
    }
    return count;
  }
}

/** The calendar date in China of an instant. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a China calendar day starts. */
export function startOfChinaDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS);
}

export function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}
