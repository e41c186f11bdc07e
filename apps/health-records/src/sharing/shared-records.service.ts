import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { BusPublisher, Pseudonymizer, ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  CONTINUITY_OF_CARE,
  DocumentKind,
  HEALTH_RECORDS_ACCESSED_V1,
  HEALTH_RECORDS_PURGED_V1,
  RecordReplicatedV1,
  RecordRetractedV1,
  RecordsPurgeRequestedV1,
} from '@app/contracts';
import { ConsentService } from '@app/consent';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { actorOf, assertOwnRegion } from '../health.caller';
import { HealthMetrics } from '../health.metrics';

interface ReplicaRow {
  home: string;
  document_id: string;
  patient: string;
  version: number;
  kind: DocumentKind;
  type_code: string;
  author: { name: string; role: string };
  hospital: string;
  encounter_at: Date;
  body: Record<string, unknown> | null;
  retracted_at: Date | null;
  updated_at: Date;
}

export interface SharedDocumentView {
  home: string;
  documentId: string;
  patient: string;
  version: number;
  kind: DocumentKind;
  typeCode: string;
  author: { name: string; role: string };
  hospital: string;
  encounterAt: string;
  updatedAt: string;
  body: Record<string, unknown>;
}

/**
 * Other cities' documents held here under their patients' consent: applied from the home city's events (the
 * highest version wins), purged on the home city's request, and read by this city's clinicians from this database
 * alone, each read written to the hash-chained access log and reported to the patient's home city.
 */
@Injectable()
export class SharedRecordsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly publisher: BusPublisher,
    private readonly consents: ConsentService,
    private readonly audit: AuditService,
    private readonly metrics: HealthMetrics,
    private readonly replay: ReplayService,
  ) {}

  /** Other cities' documents and the purges they asked for: all from their events. */
  onModuleInit(): void {
    this.replay.registerProjection(async (manager) => {
      await manager.query('delete from replica_document');
      await manager.query('delete from replica_purge');
    });
  }

  /**
   * A document version from its home city. Taken only while this city holds the patient's consent: the consent
   * events travel before the documents on the same partition, so a document behind a revocation (a late copy, or
   * one that crossed a revocation in flight) finds the consent revoked and is dropped.
   */
  async applyVersion(manager: EntityManager, home: string, document: RecordReplicatedV1): Promise<void> {
    if (!(await this.consented(manager, home, document.patient))) return;
    await manager.query(
      `insert into replica_document (home, document_id, patient, version, kind, type_code, author, hospital,
                                     encounter_at, body, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       on conflict (home, document_id) do update
         set version = excluded.version, kind = excluded.kind, type_code = excluded.type_code,
             author = excluded.author, hospital = excluded.hospital, encounter_at = excluded.encounter_at,
             body = excluded.body, retracted_at = null, updated_at = excluded.updated_at, received_at = clock_timestamp()
         where replica_document.version < excluded.version`,
      [
        home,
        document.documentId,
        document.patient,
        document.version,
        document.kind,
        document.typeCode,
        JSON.stringify(document.author),
        document.hospital,
        document.encounterAt,
        JSON.stringify(document.body),
        document.updatedAt,
      ],
    );
    this.metrics.replicated.inc({ direction: 'received' });
  }

  /** A retraction keeps no content, only the version, so an older copy arriving later cannot bring it back. */
  async applyRetraction(manager: EntityManager, home: string, retraction: RecordRetractedV1): Promise<void> {
    if (!(await this.consented(manager, home, retraction.patient))) return;
    await manager.query(
      `insert into replica_document (home, document_id, patient, version, retracted_at, updated_at)
       values ($1, $2, $3, $4, $5, $5)
       on conflict (home, document_id) do update
         set version = excluded.version, kind = null, type_code = null, author = null, hospital = null,
             encounter_at = null, body = null, retracted_at = excluded.retracted_at, updated_at = excluded.updated_at,
             received_at = clock_timestamp()
         where replica_document.version < excluded.version`,
      [home, retraction.documentId, retraction.patient, retraction.version, retraction.retractedAt],
    );
  }

  /** Deletes everything held of the patient from `home`, and confirms it to `home`. */
  async purge(manager: EntityManager, home: string, request: RecordsPurgeRequestedV1): Promise<void> {
    // TypeORM answers a delete with [rows, affected].
    const [, deleted] = await manager.query<[unknown[], number]>(
      'delete from replica_document where home = $1 and patient = $2',
      [home, request.patient],
    );
    const purgedAt = this.clock.now().toISOString();
    await manager.query(
      `insert into replica_purge (purge_id, home, patient, documents, purged_at) values ($1, $2, $3, $4, $5)
       on conflict do nothing`,
      [request.purgeId, home, request.patient, deleted, purgedAt],
    );
    await this.publisher.publish(
      manager,
      HEALTH_RECORDS_PURGED_V1,
      request.patient,
      { purgeId: request.purgeId, patient: request.patient, documents: deleted, purgedAt },
      { target: home },
    );
    this.metrics.purged.inc({ side: 'performed' });
  }

  /** A clinician of this city lists another city's patient's documents. */
  async query(principal: Principal, residentId: string, purpose: string): Promise<SharedDocumentView[]> {
    assertOwnRegion(principal, this.config);
    const patient = this.pseudonyms.of(residentId);
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<ReplicaRow[]>(
        `select * from replica_document where patient = $1 and retracted_at is null
          order by encounter_at desc, document_id`,
        [patient],
      );
      if (rows.length === 0) {
        throw new DomainError(
          'HEALTH.PATIENT_NOT_FOUND',
          'not-found',
          `no other city shares records of this patient with ${this.config.region}`,
        );
      }
      const visible = await this.withConsent(manager, rows, purpose);
      await this.recordAccess(manager, principal, purpose, patient, visible, 'health.record.list');
      return visible.map(toView);
    });
  }

  /** A clinician of this city reads one of another city's documents. */
  async read(principal: Principal, documentId: string, purpose: string): Promise<SharedDocumentView> {
    assertOwnRegion(principal, this.config);
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<ReplicaRow[]>(
        'select * from replica_document where document_id = $1 and retracted_at is null',
        [documentId],
      );
      if (rows.length === 0) {
        throw new DomainError('HEALTH.DOCUMENT_NOT_FOUND', 'not-found', `no shared document ${documentId}`);
      }
      const visible = await this.withConsent(manager, rows, purpose);
      await this.recordAccess(manager, principal, purpose, visible[0].patient, visible, 'health.record.read');
      return toView(visible[0]);
    });
  }

  private async consented(db: EntityManager, home: string, patient: string, purpose = CONTINUITY_OF_CARE) {
    return this.consents.isActive(db, { patient, home, region: this.config.region, purpose, at: this.clock.now() });
  }

  /** The rows whose home city's consent covers this city and the stated purpose now; 403 when none is. */
  private async withConsent(manager: EntityManager, rows: ReplicaRow[], purpose: string): Promise<ReplicaRow[]> {
    const homes = [...new Set(rows.map((row) => row.home))];
    const allowed = new Set<string>();
    for (const home of homes) {
      if (await this.consented(manager, home, rows[0].patient, purpose)) allowed.add(home);
    }
    const visible = rows.filter((row) => allowed.has(row.home));
    if (visible.length === 0) {
      throw new DomainError(
        'HEALTH.NO_CONSENT',
        'forbidden',
        `the patient has no active consent for ${this.config.region} and purpose ${purpose}`,
      );
    }
    return visible;
  }

  /** The audit entry, in the read's transaction, and a report to each home city whose documents were read. */
  private async recordAccess(
    manager: EntityManager,
    principal: Principal,
    purpose: string,
    patient: string,
    rows: ReplicaRow[],
    action: string,
  ): Promise<void> {
    const actor = actorOf(principal);
    const entry = await this.audit.append(manager, {
      actor,
      role: principal.role,
      org: principal.org,
      actorRegion: principal.region,
      action,
      purpose,
      subject: patient,
      resources: rows.map((row) => row.document_id),
    });
    for (const home of new Set(rows.map((row) => row.home))) {
      await this.publisher.publish(
        manager,
        HEALTH_RECORDS_ACCESSED_V1,
        patient,
        {
          patient,
          actor,
          org: principal.org,
          actorRegion: principal.region,
          purpose,
          documents: rows.filter((row) => row.home === home).map((row) => row.document_id),
          auditEntryId: entry.id,
          at: entry.at,
        },
        { target: home },
      );
    }
    this.metrics.readsAudited.inc();
  }
}

function toView(row: ReplicaRow): SharedDocumentView {
  return {
    home: row.home,
    documentId: row.document_id,
    patient: row.patient,
    version: row.version,
    kind: row.kind,
    typeCode: row.type_code,
    author: row.author,
    hospital: row.hospital,
    encounterAt: row.encounter_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    body: row.body ?? {},
  };
}
