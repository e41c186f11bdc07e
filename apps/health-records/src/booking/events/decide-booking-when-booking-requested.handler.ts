import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { HEALTH_BOOKING_REQUESTED_V1, BookingRequestedV1 } from '@app/contracts';
import { BookingDecisionsService } from '../booking-decisions.service';

/** Another city asks for a place in one of this city's slots. */
@Controller()
export class DecideBookingWhenBookingRequestedHandler {
  constructor(private readonly decisions: BookingDecisionsService) {}

  @EventPattern(HEALTH_BOOKING_REQUESTED_V1)
  async requested(@Payload() payload: BookingRequestedV1, @Ctx() context: BusContext): Promise<void> {
    await this.decisions.decideAndAnswer(context.manager, context.origin, payload);
  }
}
