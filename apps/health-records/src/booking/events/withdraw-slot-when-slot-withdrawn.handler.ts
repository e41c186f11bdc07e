import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { HEALTH_SLOT_WITHDRAWN_V1, SlotWithdrawnV1 } from '@app/contracts';
import { SlotsProjectionService } from '../slots-projection.service';

/** A peer withdrew one of its slots. */
@Controller()
export class WithdrawSlotWhenSlotWithdrawnHandler {
  constructor(private readonly slots: SlotsProjectionService) {}

  @EventPattern(HEALTH_SLOT_WITHDRAWN_V1)
  async slotWithdrawn(@Payload() payload: SlotWithdrawnV1, @Ctx() context: BusContext): Promise<void> {
    await this.slots.markWithdrawn(context.manager, context.origin, payload);
  }
}
