import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessReportService } from '@app/audit';
import { Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { DomainError, Principal, actorOf } from '@app/http';
import { Clock } from '@app/platform';
import { CatalogueQueriesService, recognisedCodes } from '../catalogue/catalogue-queries.service';
import { LabConsentService } from '../consent/lab-consent.service';
import { LabMetrics } from '../lab-results.metrics';
import { QualificationQueriesService } from '../qualification/qualification-queries.service';
import { ReuseQueryDto } from './dto/reuse-query.dto';
import { CandidateRow, ReuseRepository } from './reuse.repository';
import {
  Candidate,
  CatalogueInForce,
  CatalogueRef,
  ReuseReason,
  Verdict,
  answerFor,
  jointValidityDays,
} from './reuse-rules';

// bench/lab.ts runs the candidate read from here as its baseline (outside this service; to move with it).

const DAY_MS = 24 * 60 * 60 * 1000;

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
 * recorded, so that the doctor's decisions can refer to what was actually shown, audited as a read of another
 * city's personal data and reported to that city.
 */
@Injectable()
export class ReuseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly catalogue: CatalogueQueriesService,
    private readonly qualifications: QualificationQueriesService,
    private readonly consent: LabConsentService,
    private readonly accessReports: AccessReportService,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly metrics: LabMetrics,
    private readonly repository: ReuseRepository,
  ) {}

  async ask(principal: Principal, dto: ReuseQueryDto): Promise<ReuseQueryResult> {
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
      const rows = await this.repository.candidates(manager, patient, this.config.region, dto.codes, windows, now);
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
      await this.repository.record(
        manager,
        { queryId, patient, hospital: principal.org, actor: actorOf(principal), askedAt: now },
        answers.map((answer) => ({
          code: answer.code,
          reason: answer.reason,
          reusable: answer.reusable,
          origin: answer.result?.region ?? null,
          reportId: answer.result?.reportId ?? null,
          reportVersion: answer.result?.reportVersion ?? null,
          catalogue: answer.catalogue,
        })),
      );
      const read = uniqueBy(
        rows.filter((row) => consentingPeers.has(row.region)),
        (row) => `${row.region}/${row.report_id}`,
      );
      // Audited here and reported to each city whose results were read.
      await this.accessReports.recordRead(manager, {
        actor: actorOf(principal),
        role: principal.role,
        org: principal.org,
        actorRegion: principal.region,
        action: 'lab.results.reuse-query',
        purpose: 'continuity-of-care',
        subjects: [patient],
        resourcesByHome: groupBy(
          read,
          (row) => row.region,
          (row) => `${row.region}/${row.report_id}`,
        ),
      });
      return { queryId, patient, askedAt: now.toISOString(), answers };
    });
    for (const answer of result.answers) this.metrics.reuseAnswers.inc({ reason: answer.reason });
    stopTimer();
    return result;
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

function groupBy<T>(values: T[], key: (value: T) => string, item: (value: T) => string): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const value of values) (groups[key(value)] ??= []).push(item(value));
  return groups;
}

function uniqueBy<T>(values: T[], key: (value: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const value of values) if (!seen.has(key(value))) seen.set(key(value), value);
  return [...seen.values()];
}
