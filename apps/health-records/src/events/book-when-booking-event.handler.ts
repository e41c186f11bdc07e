import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import {
  BookingAnsweredV1,
  BookingCancelledV1,
  BookingRequestedV1,
  HEALTH_BOOKING_ANSWERED_V1,
  HEALTH_BOOKING_CANCELLED_V1,
  HEALTH_BOOKING_REQUESTED_V1,
  HEALTH_SLOT_PUBLISHED_V1,
  HEALTH_SLOT_WITHDRAWN_V1,
  SlotPublishedV1,
  SlotWithdrawnV1,
} from '@app/contracts';
import { BookingsService } from '../booking/bookings.service';
import { SlotsService } from '../booking/slots.service';

/** Slots broadcast by peers; requests for this city's slots; answers to this city's requests. */
@Controller()
export class BookWhenBookingEventHandler {
  constructor(
    private readonly slots: SlotsService,
    private readonly bookings: BookingsService,
  ) {}

  @EventPattern(HEALTH_SLOT_PUBLISHED_V1)
  async slotPublished(@Payload() slot: SlotPublishedV1, @Ctx() context: BusContext): Promise<void> {
    await this.slots.project(context.manager, context.origin, slot);
  }

  @EventPattern(HEALTH_SLOT_WITHDRAWN_V1)
  async slotWithdrawn(@Payload() slot: SlotWithdrawnV1, @Ctx() context: BusContext): Promise<void> {
    await this.slots.markWithdrawn(context.manager, context.origin, slot);
  }

  @EventPattern(HEALTH_BOOKING_REQUESTED_V1)
  async requested(@Payload() request: BookingRequestedV1, @Ctx() context: BusContext): Promise<void> {
    await this.slots.decideAndAnswer(context.manager, context.origin, request);
  }

  @EventPattern(HEALTH_BOOKING_CANCELLED_V1)
  async cancelled(@Payload() cancellation: BookingCancelledV1, @Ctx() context: BusContext): Promise<void> {
    await this.slots.release(context.manager, context.origin, cancellation);
  }

  @EventPattern(HEALTH_BOOKING_ANSWERED_V1)
  async answered(@Payload() answer: BookingAnsweredV1, @Ctx() context: BusContext): Promise<void> {
    await this.bookings.answer(context.manager, context.origin, answer);
  }
}
