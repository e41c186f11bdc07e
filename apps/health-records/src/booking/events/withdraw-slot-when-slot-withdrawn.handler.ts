import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { HEALTH_SLOT_WITHDRAWN_V1, EventPayload } from '@app/contracts';
import { SlotsProjectionService } from '../slots-projection.service';

/** A peer withdrew one of its slots. */
@Controller()
export class WithdrawSlotWhenSlotWithdrawnHandler {
  constructor(private readonly slots: SlotsProjectionService) {}

  @OnEvent(HEALTH_SLOT_WITHDRAWN_V1)
  async slotWithdrawn(payload: EventPayload<typeof HEALTH_SLOT_WITHDRAWN_V1>, context: BusContext): Promise<void> {
    await this.slots.markWithdrawn(context.manager, context.origin, payload);
  }
}
