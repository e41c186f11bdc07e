import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { HEALTH_SLOT_PUBLISHED_V1, EventPayload } from '@app/contracts';
import { SlotsProjectionService } from '../slots-projection.service';

/** A peer broadcast a bookable slot. */
@Controller()
export class ProjectSlotWhenSlotPublishedHandler {
  constructor(private readonly slots: SlotsProjectionService) {}

  @OnEvent(HEALTH_SLOT_PUBLISHED_V1)
  async slotPublished(payload: EventPayload<typeof HEALTH_SLOT_PUBLISHED_V1>, context: BusContext): Promise<void> {
    await this.slots.project(context.manager, context.origin, payload);
  }
}
