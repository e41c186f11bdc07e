import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { HEALTH_BOOKING_CANCELLED_V1, EventPayload } from '@app/contracts';
import { BookingDecisionsService } from '../booking-decisions.service';

/** Another city gives back a place in one of this city's slots (cancelled or expired). */
@Controller()
export class ReleasePlaceWhenBookingCancelledHandler {
  constructor(private readonly decisions: BookingDecisionsService) {}

  @OnEvent(HEALTH_BOOKING_CANCELLED_V1)
  async cancelled(payload: EventPayload<typeof HEALTH_BOOKING_CANCELLED_V1>, context: BusContext): Promise<void> {
    await this.decisions.release(context.manager, context.origin, payload);
  }
}
