import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HealthDocumentV1 } from '@app/contracts';
import { DomainError, Principal } from '@app/http';
import { DocumentRow, RecordsRepository } from './records.repository';

/** A document as the API shows it (never with the clear resident ID) and as it crosses to a peer. */
export interface DocumentView extends HealthDocumentV1 {
  org: string;
  retractedAt: string | null;
}

/** This city's documents as its HIS reads them back. */
@Injectable()
export class RecordsQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: RecordsRepository,
  ) {}

  async get(principal: Principal, documentId: string): Promise<DocumentView> {
    const row = await this.repository.find(this.dataSource.manager, documentId);
    if (!row || row.org !== principal.org) throw documentNotFound(documentId);
    return toDocumentView(row);
  }
}

export function toDocumentView(row: DocumentRow): DocumentView {
  return {
    documentId: row.document_id,
    org: row.org,
    patient: row.patient,
    version: row.version,
    kind: row.kind,
    typeCode: row.type_code,
    author: row.author,
    hospital: row.hospital,
    encounterAt: row.encounter_at.toISOString(),
    body: row.body,
    updatedAt: row.updated_at.toISOString(),
    retractedAt: row.retracted_at?.toISOString() ?? null,
  };
}

export function documentNotFound(documentId: string): DomainError {
  return new DomainError('HEALTH.DOCUMENT_NOT_FOUND', 'not-found', `no document ${documentId}`);
}
