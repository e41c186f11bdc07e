import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import { BookingAnsweredV1, BookingCancelledV1, BookingRequestedV1, HEALTH_BOOKING_ANSWERED_V1 } from '@app/contracts';
import { Clock } from '@app/platform';
import { bookingRejection } from './booking.rules';
import { BookingRepository } from './booking.repository';

/**
 * The owner's side of booking: requests for this city's slots. A request takes a place under a row lock on the
 * slot, so concurrent requests for the last place (one per city, on different topics, applied concurrently) confirm
 * exactly one.
 */
@Injectable()
export class BookingDecisionsService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly publisher: BusPublisher,
    private readonly repository: BookingRepository,
  ) {}

  /**
   * The owner's decision on a request from `requester` (this city itself for a local booking); undefined when the
   * request was decided (or cancelled) before.
   */
  async decide(
    manager: EntityManager,
    requester: string,
    request: BookingRequestedV1,
  ): Promise<BookingAnsweredV1 | undefined> {
    if (await this.repository.slotBookingExists(manager, request.bookingId)) return undefined;
    const slot = await this.repository.findSlot(manager, this.config.region, request.slotId, { forUpdate: true });
    const now = this.clock.now();
    const reason = bookingRejection(
      slot && {
        capacity: slot.capacity,
        booked: slot.booked,
        startsAt: slot.starts_at,
        withdrawn: slot.withdrawn_at !== null,
      },
      now,
    );
    if (reason === undefined) await this.repository.addBooked(manager, this.config.region, request.slotId, 1);
    const outcome = reason === undefined ? 'confirmed' : 'rejected';
    await this.repository.insertSlotBooking(
      manager,
      {
        booking_id: request.bookingId,
        slot_id: request.slotId,
        requester,
        patient: request.patient,
        status: outcome,
        reason: reason ?? null,
      },
      now,
    );
    return {
      bookingId: request.bookingId,
      slotId: request.slotId,
      outcome,
      ...(reason !== undefined && { reason }),
      answeredAt: now.toISOString(),
    };
  }

  /** Decides a request from another city and answers it there. */
  async decideAndAnswer(manager: EntityManager, requester: string, request: BookingRequestedV1): Promise<void> {
    const answer = await this.decide(manager, requester, request);
    if (!answer) return;
    await this.publisher.publish(manager, HEALTH_BOOKING_ANSWERED_V1, request.patient, answer, {
      target: requester,
      correlationId: request.bookingId,
    });
  }

  /** The requester gave the place back (cancelled or expired): a confirmed place is freed. */
  async release(manager: EntityManager, requester: string, cancellation: BookingCancelledV1): Promise<void> {
    const booking = await this.repository.findSlotBookingForUpdate(manager, cancellation.bookingId);
    if (!booking) {
      // Cancelled before the request was decided: remember it, so the request is not decided later.
      await this.repository.insertSlotBooking(
        manager,
        {
          booking_id: cancellation.bookingId,
          slot_id: cancellation.slotId,
          requester,
          patient: '',
          status: 'cancelled',
          reason: cancellation.reason,
        },
        this.clock.now(),
      );
      return;
    }
    if (booking.requester !== requester || booking.status === 'cancelled') return;
    await this.repository.cancelSlotBooking(manager, cancellation.bookingId, cancellation.reason);
    if (booking.status === 'confirmed') {
      await this.repository.addBooked(manager, this.config.region, cancellation.slotId, -1);
    }
  }
}
