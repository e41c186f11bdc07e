import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { SlotPublishedV1, SlotWithdrawnV1 } from '@app/contracts';
import { Clock } from '@app/platform';
import { BookingRepository } from './booking.repository';

/** The peers' slots: a projection of their broadcasts (no places counted: the owner decides). */
@Injectable()
export class SlotsProjectionService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly repository: BookingRepository,
    private readonly replay: ReplayService,
  ) {}

  /** The peers' slots. Bookings stay: they are decisions this city made or asked for, not copies. */
  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.repository.deleteSlotsNotOf(manager, this.config.region));
  }

  async project(manager: EntityManager, region: string, slot: SlotPublishedV1): Promise<void> {
    await this.repository.insertSlot(manager, region, slot, null);
  }

  async markWithdrawn(manager: EntityManager, region: string, slot: SlotWithdrawnV1): Promise<void> {
    await this.repository.markSlotWithdrawn(manager, region, slot.slotId, this.clock.now());
  }
}
