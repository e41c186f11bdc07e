import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { HEALTH_BOOKING_ANSWERED_V1, EventPayload } from '@app/contracts';
import { BookingsService } from '../bookings.service';

/** The slot's city confirmed or rejected one of this city's bookings. */
@Controller()
export class SettleBookingWhenBookingAnsweredHandler {
  constructor(private readonly bookings: BookingsService) {}

  @OnEvent(HEALTH_BOOKING_ANSWERED_V1)
  async answered(payload: EventPayload<typeof HEALTH_BOOKING_ANSWERED_V1>, context: BusContext): Promise<void> {
    await this.bookings.answer(context.manager, context.origin, payload);
  }
}
