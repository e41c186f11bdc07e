import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { WorkingCalendar, chinaDate, startOfChinaDay } from '../clock/working-calendar';
import { HandledCaseRow, StatisticsRepository } from './statistics.repository';

export interface HandledFigures {
  matterCode: string;
  filingRegion: string;
  received: number;
  accepted: number;
  decided: number;
  /** Working days from acceptance to decision, less the days paused for supplements. */
  handlingDays: { average: number | null; p90: number | null };
  overdue: number;
  ratings: { count: number; average: number | null; low: { score: number; reasons: string[] }[] };
}

export interface StatisticsView {
  region: string;
  month: string;
  filedHereForThere: { matterCode: string; handlingRegion: string; count: number }[];
  handledHereForThere: HandledFigures[];
}

/** The supervising office's figures of one month, per matter and city, from this city's own tables. */
@Injectable()
export class StatisticsQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly calendar: WorkingCalendar,
    private readonly statistics: StatisticsRepository,
  ) {}

  async month(month: string): Promise<StatisticsView> {
    const from = startOfChinaDay(`${month}-01`);
    const [year, m] = month.split('-').map(Number);
    const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
    const to = startOfChinaDay(`${next}-01`);
    const manager = this.dataSource.manager;
    const { region } = this.config;
    const filed = await this.statistics.filedForPeers(manager, region, from, to);
    const handled = await this.statistics.handledForPeers(manager, region, from, to);
    const groups = new Map<string, HandledCaseRow[]>();
    for (const row of handled) {
      const key = `${row.matter_code}\u0000${row.filing_region}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    return {
      region,
      month,
      filedHereForThere: filed.map((row) => ({
        matterCode: row.matter_code,
        handlingRegion: row.handling_region,
        count: row.count,
      })),
      handledHereForThere: [...groups.values()].map((rows) => this.figures(rows)),
    };
  }

  private figures(rows: HandledCaseRow[]): HandledFigures {
    const days = rows
      .filter((row) => row.accepted_on !== null && row.decided_at !== null)
      .map((row) =>
        Math.max(0, this.calendar.workingDaysBetween(row.accepted_on!, chinaDate(row.decided_at!)) - row.paused_days),
      )
      .sort((a, b) => a - b);
    const rated = rows.filter((row) => row.rating !== null);
    return {
      matterCode: rows[0].matter_code,
      filingRegion: rows[0].filing_region,
      received: rows.length,
      accepted: rows.filter((row) => row.accepted_on !== null).length,
      decided: days.length,
      handlingDays: {
        average: days.length === 0 ? null : round(days.reduce((sum, day) => sum + day, 0) / days.length),
        // Nearest rank: the smallest value with at least 90 % of the values at or below it.
        p90: days.length === 0 ? null : days[Math.ceil(0.9 * days.length) - 1],
      },
      overdue: rows.filter((row) => row.escalated).length,
      ratings: {
        count: rated.length,
        average: rated.length === 0 ? null : round(rated.reduce((sum, row) => sum + row.rating!, 0) / rated.length),
        low: rated
          .filter((row) => row.rating! <= 2)
          .map((row) => ({ score: row.rating!, reasons: row.rating_reasons ?? [] })),
      },
    };
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
