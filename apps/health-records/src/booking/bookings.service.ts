import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { BookingAnsweredV1, HEALTH_BOOKING_CANCELLED_V1, HEALTH_BOOKING_REQUESTED_V1 } from '@app/contracts';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { PeriodicTask } from '@app/runtime';
import { HealthConfig } from '../health-records.config';
import { HealthMetrics } from '../health-records.metrics';
import { BookingDecisionsService } from './booking-decisions.service';
import { BookingQueriesService, BookingView, toBookingView } from './booking-queries.service';
import { bookingNotFound, slotNotFound } from './booking.errors';
import { BookingRepository, BookingRow } from './booking.repository';
import { BookingRequestDto } from './dto/booking.dto';

const EXPIRY_SWEEP_MS = 500;

/**
 * This city's bookings of other cities' slots. A booking is pending until the slot's city answers; one left
 * unanswered past the timeout expires, and its place is given back to the owner (a cancellation), so an answer
 * that arrives late changes nothing here and holds no place there.
 */
@Injectable()
export class BookingsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BookingsService.name);
  private readonly sweep = new PeriodicTask({
    name: 'booking expiry sweep',
    intervalMs: EXPIRY_SWEEP_MS,
    run: () => this.expireOverdue(),
    logger: this.logger,
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly health: HealthConfig,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly publisher: BusPublisher,
    private readonly metrics: HealthMetrics,
    private readonly repository: BookingRepository,
    private readonly decisions: BookingDecisionsService,
    private readonly queries: BookingQueriesService,
  ) {}

  onApplicationBootstrap(): void {
    this.sweep.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweep.stop();
  }

  async request(principal: Principal, dto: BookingRequestDto): Promise<BookingView> {
    const patient = this.pseudonyms.of(dto.residentId);
    return this.dataSource.transaction(async (manager) => {
      const slot = await this.repository.findSlot(manager, dto.region, dto.slotId);
      if (!slot || slot.withdrawn_at !== null) throw slotNotFound(dto.slotId);
      const now = this.clock.now();
      const bookingId = randomUUID();
      const row = await this.repository.insertPendingBooking(manager, {
        booking_id: bookingId,
        org: principal.org,
        resident_id: dto.residentId,
        patient,
        slot_region: dto.region,
        slot_id: dto.slotId,
        requested_at: now,
        expires_at: new Date(now.getTime() + this.health.HEALTH_BOOKING_TIMEOUT_MS),
      });
      const request = { bookingId, slotId: dto.slotId, patient, requestedAt: now.toISOString() };
      if (dto.region === this.config.region) {
        // A slot of this city: decided here and now, under the same slot lock as the requests of other cities.
        const answer = await this.decisions.decide(manager, this.config.region, request);
        await this.answer(manager, this.config.region, answer!);
        return this.queries.booking(manager, bookingId);
      }
      await this.publisher.publish(manager, HEALTH_BOOKING_REQUESTED_V1, patient, request, {
        target: dto.region,
        correlationId: bookingId,
      });
      return toBookingView(row);
    });
  }

  async cancel(principal: Principal, bookingId: string): Promise<BookingView> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.repository.findBooking(manager, bookingId, { forUpdate: true });
      if (!row || row.org !== principal.org) throw bookingNotFound(bookingId);
      if (row.status !== 'pending' && row.status !== 'confirmed') {
        throw new DomainError('HEALTH.BOOKING_CLOSED', 'conflict', `booking ${bookingId} is ${row.status}`);
      }
      const [cancelled] = await this.close(manager, [row], 'cancelled');
      return toBookingView(cancelled);
    });
  }

  /** The owner's answer; taken only while the booking is pending (never after it expired or was cancelled). */
  async answer(manager: EntityManager, owner: string, answer: BookingAnsweredV1): Promise<void> {
    const taken = await this.repository.answerPending(manager, answer.bookingId, owner, {
      outcome: answer.outcome,
      reason: answer.reason ?? null,
      answeredAt: answer.answeredAt,
    });
    if (taken) this.metrics.bookingOutcomes.inc({ outcome: answer.outcome });
  }

  /** Expires the pending bookings whose time is up and gives their places back; returns how many. */
  async expireOverdue(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await this.repository.lockOverdue(manager, this.clock.now(), 100);
      await this.close(manager, rows, 'expired');
      return rows.length;
    });
  }

  private async close(manager: EntityManager, rows: BookingRow[], status: 'cancelled' | 'expired') {
    const now = this.clock.now();
    const closed: BookingRow[] = [];
    for (const row of rows) {
      closed.push(await this.repository.close(manager, row.booking_id, status, now));
      await this.publisher.publish(
        manager,
        HEALTH_BOOKING_CANCELLED_V1,
        row.patient,
        { bookingId: row.booking_id, slotId: row.slot_id, reason: status, cancelledAt: now.toISOString() },
        { target: row.slot_region, correlationId: row.booking_id },
      );
      this.metrics.bookingOutcomes.inc({ outcome: status });
    }
    return closed;
  }
}
