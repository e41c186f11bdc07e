import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { CertificationStateV1 } from '@app/contracts';
import { CertificationRepository } from './certification.repository';

/**
 * Other cities' certifications, recognised here: every change carries the whole state and the highest version
 * wins, whatever the order of arrival. A replay rebuilds them.
 */
@Injectable()
export class CertificationProjectionService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly replay: ReplayService,
    private readonly certifications: CertificationRepository,
  ) {}

  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.certifications.resetProjected(manager, this.config.region));
  }

  async apply(manager: EntityManager, origin: string, state: CertificationStateV1): Promise<void> {
    await this.certifications.upsert(manager, origin, state);
  }
}
