import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LabRecognitionDecidedV1 } from '@app/contracts';
import { CatalogueRef } from '../reuse/reuse-rules';

export type DecisionDirection = 'made' | 'received';

/** What a reuse query showed for one code (`reason` null when the query did not ask about it). */
export interface QueriedAnswerRow {
  hospital: string;
  patient: string;
  reason: string;
  reusable: boolean;
  origin: string | null;
  report_id: string | null;
  report_version: number | null;
  catalogue: CatalogueRef[];
}

/** Decisions of one month counted by partner, direction, outcome and re-test reason. */
export interface DecisionCountRow {
  partner: string;
  direction: DecisionDirection;
  outcome: string;
  reason_code: string | null;
  n: number;
  /** The sum of their prices, in fen (a bigint, as text). */
  fen: string;
}

/** The decisions made here on peers' results and those peers reported on this city's results. */
@Injectable()
export class RecognitionRepository {
  /** A reuse query and its answer for `code`; undefined when there is no such query. */
  async findQueriedAnswer(
    manager: EntityManager,
    queryId: string,
    code: string,
  ): Promise<QueriedAnswerRow | undefined> {
    const [answer] = await manager.query<QueriedAnswerRow[]>(
      `select q.hospital, q.patient, a.reason, a.reusable, a.origin, a.report_id, a.report_version, a.catalogue
         from lab_reuse_query q left join lab_reuse_answer a on a.query_id = q.query_id and a.code = $2
        where q.query_id = $1`,
      [queryId, code],
    );
    return answer;
  }

  /** Records a decision; false when it is known already (or the code of the query is decided already). */
  async insert(
    manager: EntityManager,
    direction: DecisionDirection,
    partner: string,
    d: LabRecognitionDecidedV1,
  ): Promise<boolean> {
    const inserted = await manager.query<unknown[]>(
      `insert into lab_decision (decision_id, direction, partner, query_id, patient, report_id, report_version, code,
                                 outcome, reason_code, hospital, decided_at, price_fen, catalogue)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       on conflict do nothing returning decision_id`,
      [
        d.decisionId,
        direction,
        partner,
        d.queryId,
        d.patient,
        d.reportId,
        d.reportVersion,
        d.code,
        d.outcome,
        d.reasonCode ?? null,
        d.hospital,
        d.decidedAt,
        d.priceFen,
        JSON.stringify(d.catalogueVersions),
      ],
    );
    return inserted.length > 0;
  }

  async countsBetween(manager: EntityManager, from: Date, until: Date): Promise<DecisionCountRow[]> {
    return manager.query<DecisionCountRow[]>(
      `select partner, direction, outcome, reason_code, count(*)::int as n, sum(price_fen)::text as fen
         from lab_decision where decided_at >= $1 and decided_at < $2
        group by partner, direction, outcome, reason_code order by partner`,
      [from, until],
    );
  }

  async deleteReceived(manager: EntityManager): Promise<void> {
    await manager.query(`delete from lab_decision where direction = 'received'`);
  }
}
