import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { DutyShiftV1 } from '@app/contracts';
import { RosterRepository } from './roster.repository';

/** The other regions' duty rosters: both cities see both. */
@Injectable()
export class RosterProjectionService implements OnModuleInit {
  constructor(
    private readonly roster: RosterRepository,
    private readonly config: AppConfig,
    private readonly replay: ReplayService,
  ) {}

  /** The peers' duty rosters. */
  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.roster.deletePeers(manager, this.config.region));
  }

  async store(manager: EntityManager, region: string, shifts: DutyShiftV1[]): Promise<void> {
    await this.roster.insert(manager, region, shifts);
  }
}
