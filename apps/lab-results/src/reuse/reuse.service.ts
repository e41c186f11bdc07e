import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { LabReportStatus } from '@app/contracts';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { CatalogueService, recognisedCodes } from '../catalogue/catalogue.service';
import { LabConsentService } from '../consent/lab-consent.service';
import { LabMetrics } from '../lab.metrics';
import { QualificationService } from '../qualification/qualification.service';
import { ReuseQueryDto } from './dto/reuse-query.dto';
import {
  Candidate,
  CatalogueInForce,
  CatalogueRef,
  ReuseReason,
  Verdict,
  answerFor,
  jointValidityDays,
} from './reuse-rules';

const DAY_MS = 24 * 60 * 60 * 1000;

interface CandidateRow {
  region: string;
  report_id: string;
  version: number;
  status: LabReportStatus;
  lab_id: string;
  lab_name: string;
  hospital: string;
  specimen: string;
  collected_at: Date;
  reported_at: Date;
  code: string;
  name: string;
  value: number | null;
  result_text: string | null;
  unit: string | null;
  reference_range: string | null;
  abnormal: boolean;
  withdrawn: boolean;
}

type RowCandidate = Candidate & { row: CandidateRow };

export interface ReuseAnswer {
  code: string;
  reusable: boolean;
  /** Reusable, but abnormal: the doctor judges. */
  flagged: boolean;
  reason: ReuseReason;
  /** The catalogue versions (this city's and the issuing city's) that decided recognition. */
  catalogue: CatalogueRef[];
  validityDays?: number;
  result?: {
    region: string;
    reportId: string;
    reportVersion: number;
    amended: boolean;
    labId: string;
    labName: string;
    hospital: string;
    specimen: string;
    collectedAt: string;
    reportedAt: string;
    reusableUntil?: string;
    name: string;
    value?: number;
    resultText?: string;
    unit?: string;
    referenceRange?: string;
    abnormal: boolean;
  };
}

export interface ReuseQueryResult {
  queryId: string;
  patient: string;
  askedAt: string;
  answers: ReuseAnswer[];
}

/**
 * "Which of this patient's results from the other cities can I reuse instead of re-testing?", answered from this
 * node's own database (no call across the line on the read path), with a reason per requested code. Each query is
 * recorded, so that the doctor's decisions can refer to what was actually shown, and audited as a read of another
 * city's personal data.
 */
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

@Injectable()
export class ReuseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly catalogue: CatalogueService,
    private readonly qualifications: QualificationService,
    private readonly consent: LabConsentService,
    private readonly audit: AuditService,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly metrics: LabMetrics,
  ) {}

  async query(principal: Principal, dto: ReuseQueryDto): Promise<ReuseQueryResult> {
    const stopTimer = this.metrics.reuseQuerySeconds.startTimer();
    const patient = this.pseudonymizer.of(dto.residentId);
    const now = this.clock.now();
    const catalogues = await this.catalogue.inForce(now);
    const local = catalogues.get(this.config.region);
    const unknown = dto.codes.filter((code) => !local?.items.has(code));
    if (unknown.length > 0) {
      throw new DomainError(
        'LAB.UNKNOWN_TEST_CODE',
        'invalid',
        `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in ${this.config.region}'s catalogue`,
      );
    }
    const inForce = (region: string): CatalogueInForce | undefined => {
      const catalogue = catalogues.get(region);
      return catalogue && { region, version: catalogue.version, recognised: recognisedCodes(catalogue) };
    };
    const localInForce = inForce(this.config.region);
    const peers = new Map(
      this.config.peers.flatMap((peer) => {
        const catalogue = inForce(peer);
        return catalogue ? [[peer, catalogue] as const] : [];
      }),
    );

    const result = await this.dataSource.transaction(async (manager) => {
      const windows = dto.codes.map((code) =>
        Math.max(0, ...[...peers.values()].map((peer) => jointValidityDays(code, localInForce, peer) ?? 0)),
      );
      const rows = await this.candidates(manager, patient, dto.codes, windows, now);
      const consentingPeers = await this.consent.consentingOrigins(manager, patient, now);
      const periods = await this.qualifications.periods(
        manager,
        uniqueBy(rows, (row) => `${row.region}/${row.lab_id}`).map((row) => ({
          region: row.region,
          labId: row.lab_id,
        })),
      );
      const byCode = new Map<string, RowCandidate[]>(dto.codes.map((code) => [code, []]));
      for (const row of rows) {
        byCode.get(row.code)!.push({
          origin: row.region,
          reportId: row.report_id,
          reportVersion: row.version,
          status: row.status,
          withdrawn: row.withdrawn,
          labId: row.lab_id,
          collectedAt: row.collected_at,
          abnormal: row.abnormal,
          qualifications: periods.get(`${row.region}/${row.lab_id}`) ?? [],
          row,
        });
      }
      const context = { now, local: localInForce, peers, consentingPeers };
      const answers = dto.codes.map((code) => toAnswer(code, answerFor(code, byCode.get(code)!, context)));
      const queryId = randomUUID();
      await this.record(manager, queryId, principal, patient, now, answers);
      const read = uniqueBy(
        rows.filter((row) => consentingPeers.has(row.region)),
        (row) => `${row.region}/${row.report_id}`,
      );
      await this.audit.append(manager, {
        actor: principal.sub ?? principal.org,
        role: principal.role,
        org: principal.org,
        actorRegion: principal.region,
        action: 'lab.results.reuse-query',
        purpose: 'continuity-of-care',
        subject: patient,
        resources: read.map((row) => `${row.region}/${row.report_id}`),
      });
      return { queryId, patient, askedAt: now.toISOString(), answers };
    });
    for (const answer of result.answers) this.metrics.reuseAnswers.inc({ reason: answer.reason });
    stopTimer();
    return result;
  }

  /**
   * The patient's results of the requested codes that peers sent here (latest version of each report). Only two
   * kinds can decide an answer: results collected within the longest joint window of their code (the only ones
   * that may be reusable), and the most recent result of each code (whose reason is given when none is reusable);
   * older ones are left in the database.
   */
  private candidates(
    manager: EntityManager,
    patient: string,
    codes: string[],
    windowDays: number[],
    now: Date,
  ): Promise<CandidateRow[]> {
    return manager.query<CandidateRow[]>(CANDIDATE_SQL, [patient, this.config.region, codes, windowDays, now]);
  }

  private async record(
    manager: EntityManager,
    queryId: string,
    principal: Principal,
    patient: string,
    now: Date,
    answers: ReuseAnswer[],
  ): Promise<void> {
    // One statement (one round trip) for the query and its answers.
    await manager.query(
      `with q as (
         insert into lab_reuse_query (query_id, patient, hospital, actor, asked_at)
         values ($1, $9, $10, $11, $12) returning query_id
       )
       insert into lab_reuse_answer (query_id, code, reason, reusable, origin, report_id, report_version, catalogue)
       select q.query_id, a.* from q,
              unnest($2::text[], $3::text[], $4::bool[], $5::text[], $6::text[], $7::int[], $8::jsonb[]) as a`,
      [
        queryId,
        answers.map((answer) => answer.code),
        answers.map((answer) => answer.reason),
        answers.map((answer) => answer.reusable),
        answers.map((answer) => answer.result?.region ?? null),
        answers.map((answer) => answer.result?.reportId ?? null),
        answers.map((answer) => answer.result?.reportVersion ?? null),
        answers.map((answer) => JSON.stringify(answer.catalogue)),
        patient,
        principal.org,
        principal.sub ?? principal.org,
        now,
      ],
    );
  }
}

function toAnswer(code: string, verdict: Verdict<RowCandidate>): ReuseAnswer {
  const { reason, reusable, catalogue, validityDays, candidate } = verdict;
  const answer: ReuseAnswer = {
    code,
    reusable,
    flagged: reason === 'ABNORMAL_RESULT',
    reason,
    catalogue,
    ...(validityDays !== undefined && { validityDays }),
  };
  // Without consent the doctor learns that results exist elsewhere, not what they are.
  if (!candidate || reason === 'NO_CONSENT') return answer;
  const { row } = candidate;
  answer.result = {
    region: row.region,
    reportId: row.report_id,
    reportVersion: row.version,
    amended: row.version > 1,
    labId: row.lab_id,
    labName: row.lab_name,
    hospital: row.hospital,
    specimen: row.specimen,
    collectedAt: row.collected_at.toISOString(),
    reportedAt: row.reported_at.toISOString(),
    ...(validityDays !== undefined && {
      reusableUntil: new Date(row.collected_at.getTime() + validityDays * DAY_MS).toISOString(),
    }),
    name: row.name,
    ...(row.value !== null && { value: row.value }),
    ...(row.result_text !== null && { resultText: row.result_text }),
    ...(row.unit !== null && { unit: row.unit }),
    ...(row.reference_range !== null && { referenceRange: row.reference_range }),
    abnormal: row.abnormal,
  };
  return answer;
}

function uniqueBy<T>(values: T[], key: (value: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const value of values) if (!seen.has(key(value))) seen.set(key(value), value);
  return [...seen.values()];
}
