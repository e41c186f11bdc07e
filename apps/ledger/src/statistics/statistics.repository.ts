import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { IndicatorAmountV1, IndicatorShareV1 } from '@app/contracts';

export interface PeriodFigures {
  project_id: string;
  name: string;
  fly_in: string;
  fly_out: string;
  period: string;
  amounts: IndicatorAmountV1[];
  split: IndicatorShareV1[];
  settled: boolean;
}

/** The last version of each project's declaration for the periods asked. */
@Injectable()
export class StatisticsRepository {
  async latest(manager: EntityManager, periods: string[]): Promise<PeriodFigures[]> {
    return manager.query<PeriodFigures[]>(
      `select distinct on (d.project_id, d.period)
              d.project_id, p.project->>'name' as name, p.fly_in, p.fly_out, d.period, d.amounts, d.split,
              s.declaration_id is not null as settled
         from ledger_declaration d
         join ledger_project p using (project_id)
         left join ledger_settlement s on s.declaration_id = d.declaration_id
        where d.period = any($1)
        order by d.project_id, d.period, d.version desc`,
      [periods],
    );
  }
}
