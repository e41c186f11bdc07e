import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DocumentKind } from '@app/contracts';

/** A document of this city's HIS (the only table with clear resident IDs). */
export interface DocumentRow {
  document_id: string;
  org: string;
  resident_id: string;
  patient: string;
  version: number;
  kind: DocumentKind;
  type_code: string;
  author: { name: string; role: string };
  hospital: string;
  encounter_at: Date;
  body: Record<string, unknown>;
  retracted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type Operation = 'publish' | 'amend' | 'retract';

/** A HIS request id: the write it named, so the same request twice answers with the first result. */
export interface RequestRow {
  org: string;
  request_id: string;
  operation: Operation;
  document_id: string;
  version: number;
}

/** What a version of a document says, as the HIS wrote it. */
export interface DocumentContent {
  typeCode: string;
  author: { name: string; role: string };
  hospital: string;
  encounterAt: string;
  body: Record<string, unknown>;
}

/** The records feature's SQL: the `health_document` and `health_request` tables. */
@Injectable()
export class RecordsRepository {
  async insert(
    manager: EntityManager,
    document: DocumentContent & {
      documentId: string;
      org: string;
      residentId: string;
      patient: string;
      kind: DocumentKind;
    },
    at: Date,
  ): Promise<DocumentRow> {
    const [row] = await manager.query<DocumentRow[]>(
      `insert into health_document (document_id, org, resident_id, patient, version, kind, type_code, author, hospital,
                                    encounter_at, body, created_at, updated_at)
       values ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11, $11) returning *`,
      [
        document.documentId,
        document.org,
        document.residentId,
        document.patient,
        document.kind,
        document.typeCode,
        JSON.stringify(document.author),
        document.hospital,
        document.encounterAt,
        JSON.stringify(document.body),
        at,
      ],
    );
    return row;
  }

  async amend(
    manager: EntityManager,
    documentId: string,
    version: number,
    content: DocumentContent,
    at: Date,
  ): Promise<DocumentRow> {
    const [[row]] = await manager.query<[DocumentRow[], number]>(
      `update health_document set version = $2, type_code = $3, author = $4, hospital = $5, encounter_at = $6,
              body = $7, updated_at = $8
        where document_id = $1 returning *`,
      [
        documentId,
        version,
        content.typeCode,
        JSON.stringify(content.author),
        content.hospital,
        content.encounterAt,
        JSON.stringify(content.body),
        at,
      ],
    );
    return row;
  }

  async retract(manager: EntityManager, documentId: string, version: number, at: Date): Promise<DocumentRow> {
    const [[row]] = await manager.query<[DocumentRow[], number]>(
      `update health_document set version = $2, retracted_at = $3, updated_at = $3 where document_id = $1 returning *`,
      [documentId, version, at],
    );
    return row;
  }

  async find(
    manager: EntityManager,
    documentId: string,
    lock: { forUpdate: boolean } = { forUpdate: false },
  ): Promise<DocumentRow | undefined> {
    const [row] = await manager.query<DocumentRow[]>(
      `select * from health_document where document_id = $1${lock.forUpdate ? ' for update' : ''}`,
      [documentId],
    );
    return row;
  }

  /** The patient's documents that are not retracted, oldest first. */
  async activeOfPatient(manager: EntityManager, patient: string): Promise<DocumentRow[]> {
    return manager.query<DocumentRow[]>(
      'select * from health_document where patient = $1 and retracted_at is null order by created_at',
      [patient],
    );
  }

  /** Records a request id; false when the organisation used it before (a concurrent duplicate waits here). */
  async claimRequest(manager: EntityManager, request: RequestRow): Promise<boolean> {
    const claimed = await manager.query<unknown[]>(
      `insert into health_request (org, request_id, operation, document_id, version) values ($1, $2, $3, $4, $5)
       on conflict do nothing returning 1`,
      [request.org, request.request_id, request.operation, request.document_id, request.version],
    );
    return claimed.length > 0;
  }

  async findRequest(manager: EntityManager, org: string, requestId: string): Promise<RequestRow> {
    const [row] = await manager.query<RequestRow[]>('select * from health_request where org = $1 and request_id = $2', [
      org,
      requestId,
    ]);
    return row;
  }
}
