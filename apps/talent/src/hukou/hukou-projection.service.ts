import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { HukouRecordedV1 } from '@app/contracts';
import { HukouRepository } from './hukou.repository';

/** Other cities' household-registration facts, recognised here; a replay rebuilds them. */
@Injectable()
export class HukouProjectionService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly replay: ReplayService,
    private readonly hukou: HukouRepository,
  ) {}

  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.hukou.resetProjected(manager, this.config.region));
  }

  async apply(manager: EntityManager, origin: string, fact: HukouRecordedV1): Promise<void> {
    await this.hukou.insert(manager, origin, fact);
  }
}
