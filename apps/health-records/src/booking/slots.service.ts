import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import { HEALTH_SLOT_PUBLISHED_V1, HEALTH_SLOT_WITHDRAWN_V1, SlotPublishedV1 } from '@app/contracts';
import { Principal } from '@app/http';
import { Clock } from '@app/platform';
import { BookingQueriesService, SlotView } from './booking-queries.service';
import { slotNotFound } from './booking.errors';
import { BookingRepository } from './booking.repository';
import { SlotPublishDto } from './dto/booking.dto';

/** This city's own slots, published and withdrawn by its hospitals' HIS and broadcast to the peers. */
@Injectable()
export class SlotsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly publisher: BusPublisher,
    private readonly repository: BookingRepository,
    private readonly queries: BookingQueriesService,
  ) {}

  async publish(principal: Principal, dto: SlotPublishDto): Promise<SlotView> {
    const slot: SlotPublishedV1 = { slotId: randomUUID(), ...dto };
    return this.dataSource.transaction(async (manager) => {
      await this.repository.insertSlot(manager, this.config.region, slot, principal.org);
      await this.publisher.publish(manager, HEALTH_SLOT_PUBLISHED_V1, slot.slotId, slot);
      return this.queries.slot(manager, this.config.region, slot.slotId);
    });
  }

  async withdraw(principal: Principal, slotId: string): Promise<SlotView> {
    return this.dataSource.transaction(async (manager) => {
      const slot = await this.repository.findSlot(manager, this.config.region, slotId, { forUpdate: true });
      if (!slot || slot.org !== principal.org) throw slotNotFound(slotId);
      await this.repository.markSlotWithdrawn(manager, this.config.region, slotId, this.clock.now());
      await this.publisher.publish(manager, HEALTH_SLOT_WITHDRAWN_V1, slotId, { slotId });
      return this.queries.slot(manager, this.config.region, slotId);
    });
  }
}
