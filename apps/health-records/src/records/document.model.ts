import { DocumentKind, HealthDocumentV1 } from '@app/contracts';

export interface DocumentRow {
  document_id: string;
  org: string;
  patient: string;
  version: number;
  kind: DocumentKind;
  type_code: string;
  author: { name: string; role: string };
  hospital: string;
  encounter_at: Date;
  body: Record<string, unknown>;
  retracted_at: Date | null;
  updated_at: Date;
}

/** A document as the API shows it (never with the clear resident ID) and as it crosses to a peer. */
export interface DocumentView extends HealthDocumentV1 {
  org: string;
  retractedAt: string | null;
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
