import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { chinaDate } from '../common/calendar';
import { StatisticsRepository } from './statistics.repository';

/** (count - the same period a year before) / the year before, in per cent; null without a year before. */
export function yearOnYear(count: number, previousYear: number): number | null {
  return previousYear === 0 ? null : Math.round(((count - previousYear) / previousYear) * 1000) / 10;
}

/** Certifications issued by every city (counted where issued, in the month issued) and benefits granted. */
@Injectable()
export class StatisticsQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly statistics: StatisticsRepository,
  ) {}

  async certifications(range: { from?: string; to?: string }) {
    const thisMonth = chinaDate(this.clock.now()).slice(0, 7);
    const to = range.to ?? thisMonth;
    const from = range.from ?? `${to.slice(0, 4)}-01`;
    if (to < from) throw new DomainError('TALENT.INVALID_RANGE', 'invalid', `the range ends (${to}) before it starts`);
    const rows = await this.statistics.certificationsByMonth(this.dataSource.manager, from, to);
    const { count, previousYear } = await this.statistics.certificationTotal(this.dataSource.manager, from, to);
    return {
      from,
      to,
      total: { count, previousYear, growthPercent: yearOnYear(count, previousYear) },
      byMonth: rows.map((row) => ({ ...row, growthPercent: yearOnYear(row.count, row.previousYear) })),
    };
  }

  async benefitsGranted() {
    return { grantedByCity: await this.statistics.grantsByCity(this.dataSource.manager) };
  }
}
