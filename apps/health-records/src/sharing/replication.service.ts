import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  CONTINUITY_OF_CARE,
  HEALTH_RECORD_REPLICATED_V1,
  HEALTH_RECORD_RETRACTED_V1,
  HEALTH_RECORDS_PURGE_REQUESTED_V1,
  RecordReplicatedV1,
} from '@app/contracts';
import { ConsentService } from '@app/consent';
import { advisoryXactLock } from '@app/database';
import { Clock } from '@app/platform';
import { HealthMetrics } from '../health-records.metrics';
import { DocumentView, toDocumentView } from '../records/records-queries.service';
import { RecordsRepository } from '../records/records.repository';
import { SharingRepository } from './sharing.repository';

/**
 * The home city's side of replication: a document version goes, as an event directed to each peer, only to the
 * peers the patient has active consent for; the peers that lose consent are asked to purge. Every event about one
 * patient is keyed by the patient's pseudonym, so at a peer a document, the revocation and the purge request come
 * in the order they were written here.
 */
@Injectable()
export class ReplicationService {
  constructor(
    private readonly config: AppConfig,
    private readonly publisher: BusPublisher,
    private readonly consents: ConsentService,
    private readonly clock: Clock,
    private readonly metrics: HealthMetrics,
    private readonly records: RecordsRepository,
    private readonly repository: SharingRepository,
  ) {}

  /**
   * Serialises, per patient, the writes that decide what crosses (documents and consents), so a document is never
   * checked against a consent that a concurrent revocation is about to end.
   */
  async lockPatient(manager: EntityManager, patient: string): Promise<void> {
    await advisoryXactLock(manager, `health:${patient}`);
  }

  async consentedPeers(manager: EntityManager, patient: string): Promise<string[]> {
    return this.consents.activeRegions(manager, {
      patient,
      home: this.config.region,
      peers: this.config.peers,
      purpose: CONTINUITY_OF_CARE,
      at: this.clock.now(),
    });
  }

  /** Sends the document's current version to `regions` (all consented peers when omitted). */
  async send(manager: EntityManager, document: DocumentView, regions?: string[]): Promise<void> {
    const targets = regions ?? (await this.consentedPeers(manager, document.patient));
    for (const target of targets) {
      if (document.retractedAt !== null) {
        await this.publisher.publish(
          manager,
          HEALTH_RECORD_RETRACTED_V1,
          document.patient,
          {
            documentId: document.documentId,
            patient: document.patient,
            version: document.version,
            retractedAt: document.retractedAt,
          },
          { target },
        );
      } else {
        await this.publisher.publish(manager, HEALTH_RECORD_REPLICATED_V1, document.patient, toContent(document), {
          target,
        });
      }
      this.metrics.replicated.inc({ direction: 'sent' });
    }
  }

  /** Sends every document of the patient that is not retracted to `regions` (a consent just covered them). */
  async sendAll(manager: EntityManager, patient: string, regions: string[]): Promise<void> {
    if (regions.length === 0) return;
    const rows = await this.records.activeOfPatient(manager, patient);
    for (const row of rows) await this.send(manager, toDocumentView(row), regions);
  }

  /** Asks each of `regions` to purge what it holds of the patient, and records the request to follow it up. */
  async requestPurge(manager: EntityManager, consentId: string, patient: string, regions: string[]): Promise<void> {
    const requestedAt = this.clock.now().toISOString();
    for (const region of regions) {
      const purgeId = randomUUID();
      await this.repository.insertPurgeRequest(manager, {
        purge_id: purgeId,
        consent_id: consentId,
        patient,
        region,
        requested_at: requestedAt,
      });
      await this.publisher.publish(
        manager,
        HEALTH_RECORDS_PURGE_REQUESTED_V1,
        patient,
        { purgeId, patient, requestedAt },
        { target: region },
      );
      this.metrics.purged.inc({ side: 'requested' });
    }
  }
}

function toContent(document: DocumentView): RecordReplicatedV1 {
  return {
    documentId: document.documentId,
    patient: document.patient,
    version: document.version,
    kind: document.kind,
    typeCode: document.typeCode,
    author: document.author,
    hospital: document.hospital,
    encounterAt: document.encounterAt,
    body: document.body,
    updatedAt: document.updatedAt,
  };
}
