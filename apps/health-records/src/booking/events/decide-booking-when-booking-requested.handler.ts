import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { HEALTH_BOOKING_REQUESTED_V1, EventPayload } from '@app/contracts';
import { BookingDecisionsService } from '../booking-decisions.service';

/** Another city asks for a place in one of this city's slots. */
@Controller()
export class DecideBookingWhenBookingRequestedHandler {
  constructor(private readonly decisions: BookingDecisionsService) {}

  @OnEvent(HEALTH_BOOKING_REQUESTED_V1)
  async requested(payload: EventPayload<typeof HEALTH_BOOKING_REQUESTED_V1>, context: BusContext): Promise<void> {
    await this.decisions.decideAndAnswer(context.manager, context.origin, payload);
  }
}
