import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface FiledRow {
  matter_code: string;
  handling_region: string;
  count: number;
}

export interface HandledCaseRow {
  matter_code: string;
  filing_region: string;
  status: string;
  accepted_on: string | null;
  paused_days: number;
  escalated: boolean;
  rating: number | null;
  rating_reasons: string[] | null;
  decided_at: Date | null;
}

@Injectable()
export class StatisticsRepository {
  /** Applications filed here in [from, to) for a matter another city handles, by matter and handling city. */
  async filedForPeers(manager: EntityManager, region: string, from: Date, to: Date): Promise<FiledRow[]> {
    return manager.query<FiledRow[]>(
      `select matter_code, handling_region, count(*)::int as count from affairs_application
        where filed_at >= $1 and filed_at < $2 and handling_region <> $3
        group by matter_code, handling_region order by matter_code, handling_region`,
      [from, to, region],
    );
  }

  /** Cases received here in [from, to) from another city's window, with what their figures need. */
  async handledForPeers(manager: EntityManager, region: string, from: Date, to: Date): Promise<HandledCaseRow[]> {
    return manager.query<HandledCaseRow[]>(
      `select c.matter_code, c.filing_region, c.status, to_char(c.accepted_on, 'YYYY-MM-DD') as accepted_on,
              c.paused_days, c.escalated, c.rating, c.rating_reasons,
              (select min(h.at) from affairs_case_history h
                where h.application_id = c.application_id and h.status in ('approved', 'denied')) as decided_at
         from affairs_case c
        where c.received_at >= $1 and c.received_at < $2 and c.filing_region <> $3
        order by c.matter_code, c.filing_region`,
      [from, to, region],
    );
  }
}
