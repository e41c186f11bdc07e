import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { HEALTH_BOOKING_ANSWERED_V1, BookingAnsweredV1 } from '@app/contracts';
import { BookingsService } from '../bookings.service';

/** The slot's city confirmed or rejected one of this city's bookings. */
@Controller()
export class SettleBookingWhenBookingAnsweredHandler {
  constructor(private readonly bookings: BookingsService) {}

  @EventPattern(HEALTH_BOOKING_ANSWERED_V1)
  async answered(@Payload() payload: BookingAnsweredV1, @Ctx() context: BusContext): Promise<void> {
    await this.bookings.answer(context.manager, context.origin, payload);
  }
}
