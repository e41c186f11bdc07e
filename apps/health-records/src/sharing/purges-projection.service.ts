import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { RecordsAccessedV1, RecordsPurgedV1 } from '@app/contracts';
import { HealthMetrics } from '../health-records.metrics';
import { SharingRepository } from './sharing.repository';

/** What the peers report back to this city about its patients: who read their records, and purges done. */
@Injectable()
export class AccessReportsProjectionService implements OnModuleInit {
  constructor(
    private readonly metrics: HealthMetrics,
    private readonly repository: SharingRepository,
    private readonly replay: ReplayService,
  ) {}

  /** The peers' reports of reads and purge confirmations; this city's purge requests stay, unconfirmed. */
  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.repository.deleteReports(manager));
  }

  async recordAccess(manager: EntityManager, reader: string, access: RecordsAccessedV1): Promise<void> {
    // The reader's region is the event's origin, whatever the payload claims.
    await this.repository.insertAccessReport(manager, reader, access);
  }

  async recordPurge(manager: EntityManager, region: string, purged: RecordsPurgedV1): Promise<void> {
    const confirmed = await this.repository.confirmPurge(manager, purged.purgeId, region, purged);
    if (confirmed) this.metrics.purged.inc({ side: 'confirmed' });
  }
}
