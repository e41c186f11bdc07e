import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordReplicatedV1, RecordRetractedV1 } from '@app/contracts';
import { DocumentRow } from '../records/records.repository';

/**
 * Another city's document held here: the home city's columns of `health_document` without its organisation and
 * resident ID; a retracted copy keeps no content (its content columns are null then).
 */
export interface ReplicaRow extends Pick<
  DocumentRow,
  | 'document_id'
  | 'patient'
  | 'version'
  | 'kind'
  | 'type_code'
  | 'author'
  | 'hospital'
  | 'encounter_at'
  | 'retracted_at'
  | 'updated_at'
> {
  home: string;
  body: Record<string, unknown> | null;
  received_at: Date;
}

/** A purge this city asked of a peer that lost a patient's consent, and the peer's confirmation. */
export interface PurgeRow {
  purge_id: string;
  consent_id: string;
  patient: string;
  region: string;
  requested_at: Date;
  purged_at: Date | null;
  documents: number | null;
}

/** A read of this city's patient's records, reported by the peer that read them. */
/**
 * The sharing feature's SQL: other cities' documents held here (`replica_document`, `replica_purge`), and what
 * this city asked of and heard from the peers about its own patients (`health_purge`).
 */
@Injectable()
export class SharingRepository {
  /** Stores a version of a peer's document unless a higher version is held. */
  async upsertReplica(manager: EntityManager, home: string, document: RecordReplicatedV1): Promise<void> {
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
  }

  /** Keeps a retraction (the version, no content) unless a higher version is held. */
  async upsertRetraction(manager: EntityManager, home: string, retraction: RecordRetractedV1): Promise<void> {
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

  /** Deletes the patient's documents from `home`; returns how many. */
  async deleteReplicasOf(manager: EntityManager, home: string, patient: string): Promise<number> {
    // TypeORM answers a delete with [rows, affected].
    const [, deleted] = await manager.query<[unknown[], number]>(
      'delete from replica_document where home = $1 and patient = $2',
      [home, patient],
    );
    return deleted;
  }

  async insertReplicaPurge(
    manager: EntityManager,
    purge: { purgeId: string; home: string; patient: string; documents: number; purgedAt: string },
  ): Promise<void> {
    await manager.query(
      `insert into replica_purge (purge_id, home, patient, documents, purged_at) values ($1, $2, $3, $4, $5)
       on conflict do nothing`,
      [purge.purgeId, purge.home, purge.patient, purge.documents, purge.purgedAt],
    );
  }

  /** Everything held of other cities' patients, and the purges done for them. */
  async deleteReplicas(manager: EntityManager): Promise<void> {
    await manager.query('delete from replica_document');
    await manager.query('delete from replica_purge');
  }

  /** The patient's documents held here that are not retracted, newest encounter first. */
  async activeReplicasOfPatient(manager: EntityManager, patient: string): Promise<ReplicaRow[]> {
    return manager.query<ReplicaRow[]>(
      `select * from replica_document where patient = $1 and retracted_at is null
        order by encounter_at desc, document_id`,
      [patient],
    );
  }

  /** The copies of a document held here that are not retracted (one per home city that sent that id). */
  async activeReplicas(manager: EntityManager, documentId: string): Promise<ReplicaRow[]> {
    return manager.query<ReplicaRow[]>(
      'select * from replica_document where document_id = $1 and retracted_at is null',
      [documentId],
    );
  }

  async insertPurgeRequest(
    manager: EntityManager,
    purge: Pick<PurgeRow, 'purge_id' | 'consent_id' | 'patient' | 'region'> & { requested_at: string },
  ): Promise<void> {
    await manager.query(
      `insert into health_purge (purge_id, consent_id, patient, region, requested_at) values ($1, $2, $3, $4, $5)`,
      [purge.purge_id, purge.consent_id, purge.patient, purge.region, purge.requested_at],
    );
  }

  /** Records a peer's confirmation of a purge; false when it was confirmed before (or is unknown). */
  async confirmPurge(
    manager: EntityManager,
    purgeId: string,
    region: string,
    confirmation: { purgedAt: string; documents: number },
  ): Promise<boolean> {
    const [, updated] = await manager.query<[unknown[], number]>(
      `update health_purge set purged_at = $3, documents = $4
        where purge_id = $1 and region = $2 and purged_at is null`,
      [purgeId, region, confirmation.purgedAt, confirmation.documents],
    );
    return updated > 0;
  }

  async purgesOfConsent(manager: EntityManager, consentId: string): Promise<PurgeRow[]> {
    return manager.query<PurgeRow[]>('select * from health_purge where consent_id = $1 order by region', [consentId]);
  }

  /** The peers' purge confirmations (this city's purge requests stay). */
  async unconfirmPurges(manager: EntityManager): Promise<void> {
    await manager.query('update health_purge set purged_at = null, documents = null');
  }
}
