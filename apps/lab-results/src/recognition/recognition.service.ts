import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { LAB_RECOGNITION_DECIDED_V1, LabRecognitionDecidedV1 } from '@app/contracts';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { CatalogueQueriesService } from '../catalogue/catalogue-queries.service';
import { LabMetrics } from '../lab-results.metrics';
import { ReportsRepository } from '../reports/reports.repository';
import { DecisionDto } from './dto/decision.dto';
import { QueriedAnswerRow, RecognitionRepository } from './recognition.repository';

/**
 * Doctors' decisions here on results of other cities (accepted, or re-tested with a reason), reported back to the
 * issuing city. A decision keeps the price and catalogue versions of its time, so later catalogue versions never
 * rewrite it.
 */
@Injectable()
export class RecognitionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: BusPublisher,
    private readonly clock: Clock,
    private readonly catalogue: CatalogueQueriesService,
    private readonly metrics: LabMetrics,
    private readonly decisions: RecognitionRepository,
    private readonly reports: ReportsRepository,
  ) {}

  async decide(principal: Principal, queryId: string, dto: DecisionDto) {
    const now = this.clock.now();
    const decision = await this.dataSource.transaction(async (manager) => {
      const answer = await this.decisions.findQueriedAnswer(manager, queryId, dto.code);
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
      if (!(await this.decisions.insert(manager, 'made', answer.origin, payload))) {
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

  /** An accepted result must have been reusable when shown and still be the version that was shown. */
  private async checkAcceptable(manager: EntityManager, answer: QueriedAnswerRow, code: string): Promise<void> {
    if (!answer.reusable) {
      throw new DomainError(
        'LAB.RESULT_NOT_REUSABLE',
        'conflict',
        `the result shown for ${code} was not reusable (${answer.reason}); record a re-test instead`,
      );
    }
    const current = await this.reports.find(manager, answer.origin!, answer.report_id!);
    if (!current || current.version !== answer.report_version || current.status === 'cancelled') {
      throw new DomainError(
        'LAB.REPORT_CHANGED_SINCE_QUERY',
        'conflict',
        `report ${answer.report_id} changed since the query (${current ? `now version ${current.version}, ${current.status}` : 'withdrawn'}); ask again`,
      );
    }
  }
}
