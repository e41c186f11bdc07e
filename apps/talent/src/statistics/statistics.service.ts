import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { BenefitService } from '../benefit/benefit.service';
import { chinaDate } from '../common/calendar';

interface MonthRow {
  month: string;
  region: string;
  tier: string;
  count: number;
  previousYear: number;
}

/** (count - the same period a year before) / the year before, in per cent; null without a year before. */
export function yearOnYear(count: number, previousYear: number): number | null {
  return previousYear === 0 ? null : Math.round(((count - previousYear) / previousYear) * 1000) / 10;
}

/** Certifications issued by every city (counted where issued, in the month issued) and benefits granted. */
@Injectable()
export class StatisticsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly benefits: BenefitService,
  ) {}

  async certifications(range: { from?: string; to?: string }) {
    const thisMonth = chinaDate(this.clock.now()).slice(0, 7);
    const to = range.to ?? thisMonth;
    const from = range.from ?? `${to.slice(0, 4)}-01`;
    if (to < from) throw new DomainError('TALENT.INVALID_RANGE', 'invalid', `the range ends (${to}) before it starts`);
    const rows = await this.dataSource.query<MonthRow[]>(
      `with counts as (
         select to_char(certified_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month, origin as region, tier,
                count(*)::int as count
           from talent_certification
          where certified_at >= (($1 || '-01')::date - interval '1 year') at time zone 'Asia/Shanghai'
            and certified_at < (($2 || '-01')::date + interval '1 month') at time zone 'Asia/Shanghai'
          group by 1, 2, 3)
       select c.month, c.region, c.tier, c.count, coalesce(p.count, 0) as "previousYear"
         from counts c
         left join counts p on p.region = c.region and p.tier = c.tier
                           and p.month = to_char((c.month || '-01')::date - interval '1 year', 'YYYY-MM')
        where c.month between $1 and $2
        order by c.month, c.region, c.tier`,
      [from, to],
    );
    const [{ count, previousYear }] = await this.dataSource.query<{ count: number; previousYear: number }[]>(
      `select count(*) filter (where certified_at >= ($1 || '-01')::date at time zone 'Asia/Shanghai')::int as count,
              count(*) filter (where certified_at < (($2 || '-01')::date + interval '1 month' - interval '1 year')
                                                      at time zone 'Asia/Shanghai')::int as "previousYear"
         from talent_certification
        where (certified_at >= ($1 || '-01')::date at time zone 'Asia/Shanghai'
               and certified_at < (($2 || '-01')::date + interval '1 month') at time zone 'Asia/Shanghai')
           or (certified_at >= (($1 || '-01')::date - interval '1 year') at time zone 'Asia/Shanghai'
               and certified_at < (($2 || '-01')::date + interval '1 month' - interval '1 year')
                                    at time zone 'Asia/Shanghai')`,
      [from, to],
    );
    return {
      from,
      to,
      total: { count, previousYear, growthPercent: yearOnYear(count, previousYear) },
      byMonth: rows.map((row) => ({ ...row, growthPercent: yearOnYear(row.count, row.previousYear) })),
    };
  }

  benefitsGranted() {
    return this.benefits.statistics();
  }
}
