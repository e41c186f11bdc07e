import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Pseudonymizer } from '@app/bus';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { HealthMetrics } from '../health-records.metrics';
import { ReplicationService } from '../sharing/replication.service';
import { RecordAmendDto, RecordPublishDto, RecordRetractDto } from './dto/record-publish.dto';
import { DocumentView, documentNotFound, toDocumentView } from './records-queries.service';
import { DocumentRow, Operation, RecordsRepository } from './records.repository';

/**
 * This city's HIS documents: publish, amend, retract. Each write is idempotent by the HIS's request id, and sends
 * the new version to the peers the patient has consented to, in the same transaction.
 */
@Injectable()
export class RecordsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly replication: ReplicationService,
    private readonly metrics: HealthMetrics,
    private readonly repository: RecordsRepository,
  ) {}

  async publish(principal: Principal, dto: RecordPublishDto): Promise<DocumentView> {
    const patient = this.pseudonyms.of(dto.residentId);
    return this.dataSource.transaction(async (manager) => {
      const documentId = randomUUID();
      const earlier = await this.claimRequest(manager, principal.org, dto.requestId, 'publish', documentId, 1);
      if (earlier) return earlier;
      await this.replication.lockPatient(manager, patient);
      const row = await this.repository.insert(
        manager,
        { ...dto, documentId, org: principal.org, patient },
        this.clock.now(),
      );
      return this.written(manager, row, 'publish');
    });
  }

  async amend(principal: Principal, documentId: string, dto: RecordAmendDto): Promise<DocumentView> {
    return this.change(principal, documentId, dto.requestId, 'amend', dto.version, (manager, now) =>
      this.repository.amend(manager, documentId, dto.version, dto, now),
    );
  }

  async retract(principal: Principal, documentId: string, dto: RecordRetractDto): Promise<DocumentView> {
    return this.change(principal, documentId, dto.requestId, 'retract', dto.version, (manager, now) =>
      this.repository.retract(manager, documentId, dto.version, now),
    );
  }

  private async change(
    principal: Principal,
    documentId: string,
    requestId: string,
    operation: Operation,
    version: number,
    write: (manager: EntityManager, now: Date) => Promise<DocumentRow>,
  ): Promise<DocumentView> {
    return this.dataSource.transaction(async (manager) => {
      const earlier = await this.claimRequest(manager, principal.org, requestId, operation, documentId, version);
      if (earlier) return earlier;
      const current = await this.repository.find(manager, documentId, { forUpdate: true });
      // Another organisation's document is as good as absent: its existence is not the caller's business.
      if (!current || current.org !== principal.org) throw documentNotFound(documentId);
      if (current.retracted_at !== null) {
        throw new DomainError('HEALTH.DOCUMENT_RETRACTED', 'conflict', `document ${documentId} is retracted`);
      }
      if (version !== current.version + 1) {
        throw new DomainError(
          'HEALTH.VERSION_CONFLICT',
          'conflict',
          `document ${documentId} is at version ${current.version}: the next version is ${current.version + 1}, not ${version}`,
          { details: { currentVersion: current.version } },
        );
      }
      await this.replication.lockPatient(manager, current.patient);
      const row = await write(manager, this.clock.now());
      return this.written(manager, row, operation);
    });
  }

  private async written(manager: EntityManager, row: DocumentRow, operation: Operation): Promise<DocumentView> {
    const document = toDocumentView(row);
    await this.replication.send(manager, document);
    this.metrics.published.inc({ action: operation });
    return document;
  }

  /**
   * Records the request id before the write; if the HIS sent it before, answers with the document as that request
   * left it (a concurrent duplicate waits here for the first to commit).
   */
  private async claimRequest(
    manager: EntityManager,
    org: string,
    requestId: string,
    operation: Operation,
    documentId: string,
    version: number,
  ): Promise<DocumentView | undefined> {
    const request = { org, request_id: requestId, operation, document_id: documentId, version };
    if (await this.repository.claimRequest(manager, request)) return undefined;
    const earlier = await this.repository.findRequest(manager, org, requestId);
    if (earlier.operation !== operation || (operation !== 'publish' && earlier.document_id !== documentId)) {
      throw new DomainError(
        'HEALTH.REQUEST_ID_REUSED',
        'conflict',
        `request id ${requestId} was already used for another ${earlier.operation}`,
      );
    }
    return toDocumentView((await this.repository.find(manager, earlier.document_id))!);
  }
}
