import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { RecordsPurgedV1 } from '@app/contracts';
import { HealthMetrics } from '../health-records.metrics';
import { SharingRepository } from './sharing.repository';

/** The peers' confirmations of the purges this city asked of them. (Their reports of reads are `@app/audit`'s.) */
@Injectable()
export class PurgesProjectionService implements OnModuleInit {
  constructor(
    private readonly metrics: HealthMetrics,
    private readonly repository: SharingRepository,
    private readonly replay: ReplayService,
  ) {}

  /** The purge confirmations; this city's purge requests stay, unconfirmed. */
  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.repository.unconfirmPurges(manager));
  }

  async recordPurge(manager: EntityManager, region: string, purged: RecordsPurgedV1): Promise<void> {
    const confirmed = await this.repository.confirmPurge(manager, purged.purgeId, region, purged);
    if (confirmed) this.metrics.purged.inc({ side: 'confirmed' });
  }
}
