import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { HEALTH_BOOKING_CANCELLED_V1, BookingCancelledV1 } from '@app/contracts';
import { BookingDecisionsService } from '../booking-decisions.service';

/** Another city gives back a place in one of this city's slots (cancelled or expired). */
@Controller()
export class ReleasePlaceWhenBookingCancelledHandler {
  constructor(private readonly decisions: BookingDecisionsService) {}

  @EventPattern(HEALTH_BOOKING_CANCELLED_V1)
  async cancelled(@Payload() payload: BookingCancelledV1, @Ctx() context: BusContext): Promise<void> {
    await this.decisions.release(context.manager, context.origin, payload);
  }
}
