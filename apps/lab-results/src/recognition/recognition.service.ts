import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { LAB_RECOGNITION_DECIDED_V1, LabRecognitionDecidedV1 } from '@app/contracts';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { CatalogueService } from '../catalogue/catalogue.service';
import { LabMetrics } from '../lab.metrics';
import { CatalogueRef } from '../reuse/reuse-rules';
import { DecisionDto } from './dto/decision.dto';

// Months are counted in China time (UTC+8, no daylight saving time).
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

interface AnswerRow {
  hospital: string;
  patient: string;
  reason: string;
  reusable: boolean;
  origin: string | null;
  report_id: string | null;
  report_version: number | null;
  catalogue: CatalogueRef[];
}

export interface DecisionCounts {
  recognised: number;
  retested: number;
  retestReasons: Record<string, number>;
  /** Tests not repeated (accepted results) and what they would have cost where the decision was made, in fen. */
  testsSaved: number;
  costSavedFen: number;
}

/**
 * Doctors' decisions on results of other cities (accepted, or re-tested with a reason), reported back to the
 * issuing city; and both cities' monthly statistics by partner. A decision keeps the price and catalogue versions
 * of its time, so later catalogue versions never rewrite it.
 */
@Injectable()
export class RecognitionService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: BusPublisher,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly catalogue: CatalogueService,
    private readonly metrics: LabMetrics,
    private readonly replay: ReplayService,
  ) {}

  /** The decisions peers reported on this city's results; decisions made here stay. */
  onModuleInit(): void {
    this.replay.registerProjection(async (manager) => {
      await manager.query(`delete from lab_decision where direction = 'received'`);
    });
  }

  async decide(principal: Principal, queryId: string, dto: DecisionDto) {
    const now = this.clock.now();
    const decision = await this.dataSource.transaction(async (manager) => {
      const [answer] = await manager.query<AnswerRow[]>(
        `select q.hospital, q.patient, a.reason, a.reusable, a.origin, a.report_id, a.report_version, a.catalogue
           from lab_reuse_query q left join lab_reuse_answer a on a.query_id = q.query_id and a.code = $2
          where q.query_id = $1`,
        [queryId, dto.code],
      );
      if (!answer) throw new DomainError('LAB.QUERY_NOT_FOUND', 'not-found', `no reuse query ${queryId} here`);
      if (answer.hospital !== principal.org) {
        throw new DomainError('LAB.NOT_YOUR_QUERY', 'forbidden', `query ${queryId} was asked by another hospital`);
      }
      if (answer.reason === null || answer.reason === undefined) {
        throw new DomainError('LAB.RESULT_NOT_QUERIED', 'invalid', `query ${queryId} did not ask about ${dto.code}`);
      }
      if (!answer.origin || !answer.report_id || answer.report_version === null) {
        throw new DomainError(
          'LAB.RESULT_NOT_QUERIED',
          'invalid',
          `query ${queryId} showed no result for ${dto.code} (${answer.reason}): there is nothing to decide on`,
        );
      }
      if (dto.outcome === 'accepted') await this.checkAcceptable(manager, answer, dto.code);
      const local = await this.catalogue.localInForce(now, manager);
      const payload: LabRecognitionDecidedV1 = {
        decisionId: randomUUID(),
        queryId,
        patient: answer.patient,
        reportId: answer.report_id,
        reportVersion: answer.report_version,
        code: dto.code,
        outcome: dto.outcome,
        ...(dto.outcome === 'retested' && { reasonCode: dto.reasonCode }),
        hospital: principal.org,
        decidedAt: now.toISOString(),
        priceFen: local?.items.get(dto.code)?.priceFen ?? 0,
        catalogueVersions: answer.catalogue,
      };
      if (!(await this.store(manager, 'made', answer.origin, payload))) {
        throw new DomainError('LAB.ALREADY_DECIDED', 'conflict', `${dto.code} of query ${queryId} is decided already`);
      }
      await this.publisher.publish(manager, LAB_RECOGNITION_DECIDED_V1, answer.patient, payload, {
        target: answer.origin,
      });
      return { ...payload, issuer: answer.origin };
    });
    this.metrics.decisions.inc({ direction: 'made', outcome: dto.outcome });
    return decision;
  }

  /** Records a decision made here or received from the partner; false when it is known already. */
  async store(
    manager: EntityManager,
    direction: 'made' | 'received',
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
    if (inserted.length > 0 && direction === 'received') this.metrics.decisions.inc({ direction, outcome: d.outcome });
    return inserted.length > 0;
  }

  /**
   * Per partner city for a month: the decisions made here on its results (tests this city saved) and the ones it
   * made on results issued here (tests this city's results saved it).
   */
  async statistics(month: string) {
    const { from, until } = monthRange(month);
    const rows = await this.dataSource.query<
      {
        partner: string;
        direction: 'made' | 'received';
        outcome: string;
        reason_code: string | null;
        n: number;
        fen: string;
      }[]
    >(
      `select partner, direction, outcome, reason_code, count(*)::int as n, sum(price_fen)::text as fen
         from lab_decision where decided_at >= $1 and decided_at < $2
        group by partner, direction, outcome, reason_code order by partner`,
      [from, until],
    );
    const partners = new Map<string, { partner: string; reusedHere: DecisionCounts; reusedThere: DecisionCounts }>();
    for (const partner of this.config.peers) {
      partners.set(partner, { partner, reusedHere: emptyCounts(), reusedThere: emptyCounts() });
    }
    for (const row of rows) {
      const entry = partners.get(row.partner) ?? {
        partner: row.partner,
        reusedHere: emptyCounts(),
        reusedThere: emptyCounts(),
      };
      partners.set(row.partner, entry);
      const counts = row.direction === 'made' ? entry.reusedHere : entry.reusedThere;
      if (row.outcome === 'accepted') {
        counts.recognised += row.n;
        counts.testsSaved += row.n;
        counts.costSavedFen += Number(row.fen);
      } else {
        counts.retested += row.n;
        const reason = row.reason_code ?? 'OTHER';
        counts.retestReasons[reason] = (counts.retestReasons[reason] ?? 0) + row.n;
      }
    }
    return {
      region: this.config.region,
      month,
      from: from.toISOString(),
      until: until.toISOString(),
      partners: [...partners.values()],
    };
  }

  /** An accepted result must have been reusable when shown and still be the version that was shown. */
  private async checkAcceptable(manager: EntityManager, answer: AnswerRow, code: string): Promise<void> {
    if (!answer.reusable) {
      throw new DomainError(
        'LAB.RESULT_NOT_REUSABLE',
        'conflict',
        `the result shown for ${code} was not reusable (${answer.reason}); record a re-test instead`,
      );
    }
    const [current] = await manager.query<{ version: number; status: string }[]>(
      'select version, status from lab_report where region = $1 and report_id = $2',
      [answer.origin, answer.report_id],
    );
    if (!current || current.version !== answer.report_version || current.status === 'cancelled') {
      throw new DomainError(
        'LAB.REPORT_CHANGED_SINCE_QUERY',
        'conflict',
        `report ${answer.report_id} changed since the query (${current ? `now version ${current.version}, ${current.status}` : 'withdrawn'}); ask again`,
      );
    }
  }
}

/** The instants a calendar month (`YYYY-MM`) of China time starts and ends at. */
export function monthRange(month: string): { from: Date; until: Date } {
  const [year, monthNumber] = month.split('-').map(Number);
  return {
    from: new Date(Date.UTC(year, monthNumber - 1, 1) - CHINA_OFFSET_MS),
    until: new Date(Date.UTC(year, monthNumber, 1) - CHINA_OFFSET_MS),
  };
}

function emptyCounts(): DecisionCounts {
  return { recognised: 0, retested: 0, retestReasons: {}, testsSaved: 0, costSavedFen: 0 };
}
