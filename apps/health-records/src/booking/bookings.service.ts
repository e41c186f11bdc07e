import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { BookingAnsweredV1, HEALTH_BOOKING_CANCELLED_V1, HEALTH_BOOKING_REQUESTED_V1 } from '@app/contracts';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { HealthConfig } from '../health.config';
import { HealthMetrics } from '../health.metrics';
import { BookingRequestDto } from './dto/booking.dto';
import { SlotsService, slotNotFound } from './slots.service';

export type BookingStatus = 'pending' | 'confirmed' | 'rejected' | 'expired' | 'cancelled';

interface BookingRow {
  booking_id: string;
  org: string;
  patient: string;
  slot_region: string;
  slot_id: string;
  status: BookingStatus;
  reason: string | null;
  requested_at: Date;
  expires_at: Date;
  answered_at: Date | null;
}

export interface BookingView {
  bookingId: string;
  slotRegion: string;
  slotId: string;
  patient: string;
  status: BookingStatus;
  reason: string | null;
  requestedAt: string;
  expiresAt: string;
  answeredAt: string | null;
}

const EXPIRY_SWEEP_MS = 500;

/**
 * This city's bookings of other cities' slots. A booking is pending until the slot's city answers; one left
 * unanswered past the timeout expires, and its place is given back to the owner (a cancellation), so an answer
 * that arrives late changes nothing here and holds no place there.
 */
@Injectable()
export class BookingsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BookingsService.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly health: HealthConfig,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly publisher: BusPublisher,
    private readonly metrics: HealthMetrics,
    private readonly slots: SlotsService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.expireOverdue()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn(`booking expiry sweep failed: ${String(error)}`))
        .finally(() => (this.sweeping = undefined));
    }, EXPIRY_SWEEP_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  async request(principal: Principal, dto: BookingRequestDto): Promise<BookingView> {
    const patient = this.pseudonyms.of(dto.residentId);
    return this.dataSource.transaction(async (manager) => {
      const [slot] = await manager.query<{ withdrawn_at: Date | null; starts_at: Date }[]>(
        'select withdrawn_at, starts_at from slot where region = $1 and slot_id = $2',
        [dto.region, dto.slotId],
      );
      if (!slot || slot.withdrawn_at !== null) throw slotNotFound(dto.slotId);
      const now = this.clock.now();
      const bookingId = randomUUID();
      const [row] = await manager.query<BookingRow[]>(
        `insert into booking (booking_id, org, resident_id, patient, slot_region, slot_id, status, requested_at,
                              expires_at)
         values ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) returning *`,
        [
          bookingId,
          principal.org,
          dto.residentId,
          patient,
          dto.region,
          dto.slotId,
          now,
          new Date(now.getTime() + this.health.bookingTimeoutMs),
        ],
      );
      const request = { bookingId, slotId: dto.slotId, patient, requestedAt: now.toISOString() };
      if (dto.region === this.config.region) {
        // A slot of this city: decided here and now, under the same slot lock as the requests of other cities.
        const answer = await this.slots.decide(manager, this.config.region, request);
        await this.answer(manager, this.config.region, answer!);
        return this.view(manager, bookingId);
      }
      await this.publisher.publish(manager, HEALTH_BOOKING_REQUESTED_V1, patient, request, {
        target: dto.region,
        correlationId: bookingId,
      });
      return toView(row);
    });
  }

  private async view(manager: EntityManager, bookingId: string): Promise<BookingView> {
    const [row] = await manager.query<BookingRow[]>('select * from booking where booking_id = $1', [bookingId]);
    return toView(row);
  }

  async get(principal: Principal, bookingId: string): Promise<BookingView> {
    const [row] = await this.dataSource.query<BookingRow[]>('select * from booking where booking_id = $1', [bookingId]);
    if (!row || row.org !== principal.org) throw bookingNotFound(bookingId);
    return toView(row);
  }

  async cancel(principal: Principal, bookingId: string): Promise<BookingView> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<BookingRow[]>('select * from booking where booking_id = $1 for update', [
        bookingId,
      ]);
      if (!row || row.org !== principal.org) throw bookingNotFound(bookingId);
      if (row.status !== 'pending' && row.status !== 'confirmed') {
        throw new DomainError('HEALTH.BOOKING_CLOSED', 'conflict', `booking ${bookingId} is ${row.status}`);
      }
      const [cancelled] = await this.close(manager, [row], 'cancelled');
      return toView(cancelled);
    });
  }

  /** The owner's answer; taken only while the booking is pending (never after it expired or was cancelled). */
  async answer(manager: EntityManager, owner: string, answer: BookingAnsweredV1): Promise<void> {
    const [, updated] = await manager.query<[unknown[], number]>(
      `update booking set status = $3, reason = $4, answered_at = $5
        where booking_id = $1 and slot_region = $2 and status = 'pending'`,
      [answer.bookingId, owner, answer.outcome, answer.reason ?? null, answer.answeredAt],
    );
    if (updated > 0) this.metrics.bookingOutcomes.inc({ outcome: answer.outcome });
  }

  /** Expires the pending bookings whose time is up and gives their places back; returns how many. */
  async expireOverdue(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<BookingRow[]>(
        `select * from booking where status = 'pending' and expires_at <= $1
          order by expires_at limit 100 for update skip locked`,
        [this.clock.now()],
      );
      await this.close(manager, rows, 'expired');
      return rows.length;
    });
  }

  private async close(manager: EntityManager, rows: BookingRow[], status: 'cancelled' | 'expired') {
    const now = this.clock.now();
    const closed: BookingRow[] = [];
    for (const row of rows) {
      const [[updated]] = await manager.query<[BookingRow[], number]>(
        `update booking set status = $2, answered_at = coalesce(answered_at, $3) where booking_id = $1 returning *`,
        [row.booking_id, status, now],
      );
      closed.push(updated);
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

function toView(row: BookingRow): BookingView {
  return {
    bookingId: row.booking_id,
    slotRegion: row.slot_region,
    slotId: row.slot_id,
    patient: row.patient,
    status: row.status,
    reason: row.reason,
    requestedAt: row.requested_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    answeredAt: row.answered_at?.toISOString() ?? null,
  };
}

function bookingNotFound(bookingId: string): DomainError {
  return new DomainError('HEALTH.BOOKING_NOT_FOUND', 'not-found', `no booking ${bookingId}`);
}
