import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { HEALTH_SLOT_PUBLISHED_V1, SlotPublishedV1 } from '@app/contracts';
import { SlotsProjectionService } from '../slots-projection.service';

/** A peer broadcast a bookable slot. */
@Controller()
export class ProjectSlotWhenSlotPublishedHandler {
  constructor(private readonly slots: SlotsProjectionService) {}

  @EventPattern(HEALTH_SLOT_PUBLISHED_V1)
  async slotPublished(@Payload() payload: SlotPublishedV1, @Ctx() context: BusContext): Promise<void> {
    await this.slots.project(context.manager, context.origin, payload);
  }
}
