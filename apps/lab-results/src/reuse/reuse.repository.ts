import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReportItemRow, ReportRow } from '../reports/reports.repository';
import { CatalogueRef, ReuseReason } from './reuse-rules';

/** A result a peer sent here, with the latest version of its report. */
export type CandidateRow = Pick<
  ReportRow,
  | 'region'
  | 'report_id'
  | 'version'
  | 'status'
  | 'lab_id'
  | 'lab_name'
  | 'hospital'
  | 'specimen'
  | 'collected_at'
  | 'reported_at'
> &
  Pick<
    ReportItemRow,
    'code' | 'name' | 'value' | 'result_text' | 'unit' | 'reference_range' | 'abnormal' | 'withdrawn'
  >;

/** What a reuse query answered for one code, as recorded for the decisions that refer to it. */
export interface RecordedAnswer {
  code: string;
  reason: ReuseReason;
  reusable: boolean;
  origin: string | null;
  reportId: string | null;
  reportVersion: number | null;
  catalogue: CatalogueRef[];
}

/**
 * A patient's results that can decide an answer: per requested code, the latest one and those within the code's
 * window ($1 patient, $2 this region, $3 codes, $4 window days, $5 now). The benchmark's baseline runs it too.
 */
export const CANDIDATE_SQL = `select r.region, r.report_id, r.version, r.status, r.lab_id, r.lab_name, r.hospital, r.specimen,
              r.collected_at, r.reported_at, i.code, i.name, i.value, i.result_text, i.unit, i.reference_range,
              i.abnormal, i.withdrawn
         from unnest($3::text[], $4::int[]) as w(code, days)
        cross join lateral (
          (select * from lab_report_item i
            where i.patient = $1 and i.code = w.code and i.region <> $2
            order by i.collected_at desc limit 1)
          union
          (select * from lab_report_item i
            where i.patient = $1 and i.code = w.code and i.region <> $2
              and i.collected_at >= $5::timestamptz - w.days * interval '1 day')
        ) i
        join lab_report r using (region, report_id)`;

/** The reuse queries asked here, their answers, and the candidate results they are answered from. */
@Injectable()
export class ReuseRepository {
  /**
   * The patient's results of the requested codes that peers sent here (latest version of each report). Only two
   * kinds can decide an answer: results collected within the longest joint window of their code (the only ones
   * that may be reusable), and the most recent result of each code (whose reason is given when none is reusable);
   * older ones are left in the database.
   */
  async candidates(
    manager: EntityManager,
    patient: string,
    region: string,
    codes: string[],
    windowDays: number[],
    now: Date,
  ): Promise<CandidateRow[]> {
    return manager.query<CandidateRow[]>(CANDIDATE_SQL, [patient, region, codes, windowDays, now]);
  }

  /** Records a query and its answers, in one statement (one round trip). */
  async record(
    manager: EntityManager,
    query: { queryId: string; patient: string; hospital: string; actor: string; askedAt: Date },
    answers: RecordedAnswer[],
  ): Promise<void> {
    await manager.query(
      `with q as (
         insert into lab_reuse_query (query_id, patient, hospital, actor, asked_at)
         values ($1, $9, $10, $11, $12) returning query_id
       )
       insert into lab_reuse_answer (query_id, code, reason, reusable, origin, report_id, report_version, catalogue)
       select q.query_id, a.* from q,
              unnest($2::text[], $3::text[], $4::bool[], $5::text[], $6::text[], $7::int[], $8::jsonb[]) as a`,
      [
        query.queryId,
        answers.map((answer) => answer.code),
        answers.map((answer) => answer.reason),
        answers.map((answer) => answer.reusable),
        answers.map((answer) => answer.origin),
        answers.map((answer) => answer.reportId),
        answers.map((answer) => answer.reportVersion),
        answers.map((answer) => JSON.stringify(answer.catalogue)),
        query.patient,
        query.hospital,
        query.actor,
        query.askedAt,
      ],
    );
  }
}
