import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Pseudonymizer } from '@app/bus';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { HealthMetrics } from '../health.metrics';
import { ReplicationService } from '../sharing/replication.service';
import { DocumentRow, DocumentView, toDocumentView } from './document.model';
import { DocumentContentDto, RecordAmendDto, RecordPublishDto, RecordRetractDto } from './dto/record-publish.dto';

type Operation = 'publish' | 'amend' | 'retract';

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
  ) {}

  async publish(principal: Principal, dto: RecordPublishDto): Promise<DocumentView> {
    const patient = this.pseudonyms.of(dto.residentId);
    return this.dataSource.transaction(async (manager) => {
      const documentId = randomUUID();
      const earlier = await this.claimRequest(manager, principal.org, dto.requestId, 'publish', documentId, 1);
      if (earlier) return earlier;
      await this.replication.lockPatient(manager, patient);
      const now = this.clock.now();
      const [row] = await manager.query<DocumentRow[]>(
        `insert into health_document (document_id, org, resident_id, patient, version, kind, type_code, author, hospital,
                                      encounter_at, body, created_at, updated_at)
         values ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11, $11) returning *`,
        [
          documentId,
          principal.org,
          dto.residentId,
          patient,
          dto.kind,
          dto.typeCode,
          JSON.stringify(dto.author),
          dto.hospital,
          dto.encounterAt,
          JSON.stringify(dto.body),
          now,
        ],
      );
      return this.written(manager, row, 'publish');
    });
  }

  async amend(principal: Principal, documentId: string, dto: RecordAmendDto): Promise<DocumentView> {
    return this.change(principal, documentId, dto.requestId, 'amend', dto.version, (manager, now) =>
      manager.query<[DocumentRow[], number]>(
        `update health_document set version = $2, type_code = $3, author = $4, hospital = $5, encounter_at = $6,
                body = $7, updated_at = $8
          where document_id = $1 returning *`,
        [documentId, dto.version, ...contentParameters(dto), now],
      ),
    );
  }

  async retract(principal: Principal, documentId: string, dto: RecordRetractDto): Promise<DocumentView> {
    return this.change(principal, documentId, dto.requestId, 'retract', dto.version, (manager, now) =>
      manager.query<[DocumentRow[], number]>(
        `update health_document set version = $2, retracted_at = $3, updated_at = $3 where document_id = $1 returning *`,
        [documentId, dto.version, now],
      ),
    );
  }

  async get(principal: Principal, documentId: string): Promise<DocumentView> {
    const [row] = await this.dataSource.query<DocumentRow[]>('select * from health_document where document_id = $1', [
      documentId,
    ]);
    if (!row || row.org !== principal.org) throw documentNotFound(documentId);
    return toDocumentView(row);
  }

  private async change(
    principal: Principal,
    documentId: string,
    requestId: string,
    operation: Operation,
    version: number,
    write: (manager: EntityManager, now: Date) => Promise<[DocumentRow[], number]>,
  ): Promise<DocumentView> {
    return this.dataSource.transaction(async (manager) => {
      const earlier = await this.claimRequest(manager, principal.org, requestId, operation, documentId, version);
      if (earlier) return earlier;
      const [current] = await manager.query<DocumentRow[]>(
        'select * from health_document where document_id = $1 for update',
        [documentId],
      );
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
      const [[row]] = await write(manager, this.clock.now());
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
    const claimed = await manager.query<unknown[]>(
      `insert into health_request (org, request_id, operation, document_id, version) values ($1, $2, $3, $4, $5)
       on conflict do nothing returning 1`,
      [org, requestId, operation, documentId, version],
    );
    if (claimed.length > 0) return undefined;
    const [earlier] = await manager.query<{ operation: string; document_id: string }[]>(
      'select operation, document_id from health_request where org = $1 and request_id = $2',
      [org, requestId],
    );
    if (earlier.operation !== operation || (operation !== 'publish' && earlier.document_id !== documentId)) {
      throw new DomainError(
        'HEALTH.REQUEST_ID_REUSED',
        'conflict',
        `request id ${requestId} was already used for another ${earlier.operation}`,
      );
    }
    const [row] = await manager.query<DocumentRow[]>('select * from health_document where document_id = $1', [
      earlier.document_id,
    ]);
    return toDocumentView(row);
  }
}

function contentParameters(dto: DocumentContentDto): unknown[] {
  return [dto.typeCode, JSON.stringify(dto.author), dto.hospital, dto.encounterAt, JSON.stringify(dto.body)];
}

export function documentNotFound(documentId: string): DomainError {
  return new DomainError('HEALTH.DOCUMENT_NOT_FOUND', 'not-found', `no document ${documentId}`);
}
