import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { LabQualificationGrantedV1, LabQualificationSuspendedV1 } from '@app/contracts';
import { QualificationRepository } from './qualification.repository';

/** The peers' lab qualifications, as their events bring them. */
@Injectable()
export class QualificationProjectionService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly replay: ReplayService,
    private readonly qualifications: QualificationRepository,
  ) {}

  /** A rebuild empties the peers' lab qualifications; this city's own stay. */
  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.qualifications.deleteAllBut(manager, this.config.region));
  }

  async storeGranted(manager: EntityManager, origin: string, qualification: LabQualificationGrantedV1): Promise<void> {
    await this.qualifications.insert(manager, origin, qualification);
  }

  async storeSuspended(manager: EntityManager, origin: string, suspension: LabQualificationSuspendedV1): Promise<void> {
    await this.qualifications.suspend(manager, origin, suspension);
  }
}
