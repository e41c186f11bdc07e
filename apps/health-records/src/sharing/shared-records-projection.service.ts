import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusPublisher, ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  CONTINUITY_OF_CARE,
  HEALTH_RECORDS_PURGED_V1,
  RecordReplicatedV1,
  RecordRetractedV1,
  RecordsPurgeRequestedV1,
} from '@app/contracts';
import { ConsentService } from '@app/consent';
import { Clock } from '@app/platform';
import { HealthMetrics } from '../health-records.metrics';
import { SharingRepository } from './sharing.repository';

/**
 * Other cities' documents held here under their patients' consent: applied from the home city's events (the
 * highest version wins) and purged on the home city's request.
 */
@Injectable()
export class SharedRecordsProjectionService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly publisher: BusPublisher,
    private readonly consents: ConsentService,
    private readonly metrics: HealthMetrics,
    private readonly repository: SharingRepository,
    private readonly replay: ReplayService,
  ) {}

  /** Other cities' documents and the purges they asked for: all from their events. */
  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.repository.deleteReplicas(manager));
  }

  /**
   * A document version from its home city. Taken only while this city holds the patient's consent: the consent
   * events travel before the documents on the same partition, so a document behind a revocation (a late copy, or
   * one that crossed a revocation in flight) finds the consent revoked and is dropped.
   */
  async applyVersion(manager: EntityManager, home: string, document: RecordReplicatedV1): Promise<void> {
    if (!(await this.consented(manager, home, document.patient))) return;
    await this.repository.upsertReplica(manager, home, document);
    this.metrics.replicated.inc({ direction: 'received' });
  }

  /** A retraction keeps no content, only the version, so an older copy arriving later cannot bring it back. */
  async applyRetraction(manager: EntityManager, home: string, retraction: RecordRetractedV1): Promise<void> {
    if (!(await this.consented(manager, home, retraction.patient))) return;
    await this.repository.upsertRetraction(manager, home, retraction);
  }

  /** Deletes everything held of the patient from `home`, and confirms it to `home`. */
  async purge(manager: EntityManager, home: string, request: RecordsPurgeRequestedV1): Promise<void> {
    const deleted = await this.repository.deleteReplicasOf(manager, home, request.patient);
    const purgedAt = this.clock.now().toISOString();
    await this.repository.insertReplicaPurge(manager, {
      purgeId: request.purgeId,
      home,
      patient: request.patient,
      documents: deleted,
      purgedAt,
    });
    await this.publisher.publish(
      manager,
      HEALTH_RECORDS_PURGED_V1,
      request.patient,
      { purgeId: request.purgeId, patient: request.patient, documents: deleted, purgedAt },
      { target: home },
    );
    this.metrics.purged.inc({ side: 'performed' });
  }

  private async consented(manager: EntityManager, home: string, patient: string): Promise<boolean> {
    return this.consents.isActive(manager, {
      patient,
      home,
      region: this.config.region,
      purpose: CONTINUITY_OF_CARE,
      at: this.clock.now(),
    });
  }
}
