import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { BenefitGrantedV1 } from '@app/contracts';
import { BenefitRepository } from './benefit.repository';

/** The benefits other cities granted, copied here for the status query; a replay rebuilds them. */
@Injectable()
export class BenefitProjectionService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly replay: ReplayService,
    private readonly benefits: BenefitRepository,
  ) {}

  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.benefits.resetProjectedGrants(manager, this.config.region));
  }

  async applyGrant(manager: EntityManager, origin: string, grant: BenefitGrantedV1): Promise<void> {
    await this.benefits.insertGrant(manager, origin, grant);
  }
}
