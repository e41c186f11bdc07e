import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** Certifications issued in a month by a city in a tier, with the same month a year before. */
export interface CertificationMonthRow {
  month: string;
  region: string;
  tier: string;
  count: number;
  previousYear: number;
}

export interface CertificationTotalRow {
  count: number;
  previousYear: number;
}

export interface GrantsByCityRow {
  grantedIn: string;
  benefitCode: string;
  count: number;
}

/**
 * Counts over every city's certifications (counted where issued, in the month issued, in China's calendar) and
 * grants. Months are written YYYY-MM; `from` and `to` are both included.
 */
@Injectable()
export class StatisticsRepository {
  certificationsByMonth(manager: EntityManager, from: string, to: string): Promise<CertificationMonthRow[]> {
    return manager.query<CertificationMonthRow[]>(
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
  }

  async certificationTotal(manager: EntityManager, from: string, to: string): Promise<CertificationTotalRow> {
    const [row] = await manager.query<CertificationTotalRow[]>(
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
    return row;
  }

  /** Benefits granted, by the city that pays them and benefit (this city's and those projected from its peers). */
  grantsByCity(manager: EntityManager): Promise<GrantsByCityRow[]> {
    return manager.query<GrantsByCityRow[]>(
      `select granted_in as "grantedIn", benefit_code as "benefitCode", count(*)::int as count
         from talent_benefit_grant group by granted_in, benefit_code order by granted_in, benefit_code`,
    );
  }
}
