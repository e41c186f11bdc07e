import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  BookingAnsweredV1,
  BookingCancelledV1,
  BookingRequestedV1,
  HEALTH_BOOKING_ANSWERED_V1,
  HEALTH_SLOT_PUBLISHED_V1,
  HEALTH_SLOT_WITHDRAWN_V1,
  SlotPublishedV1,
  SlotWithdrawnV1,
} from '@app/contracts';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { assertOwnRegion } from '../health.caller';
import { bookingRejection } from './booking.rules';
import { SlotPublishDto } from './dto/booking.dto';

interface SlotRow {
  region: string;
  slot_id: string;
  org: string | null;
  hospital: string;
  department: string;
  doctor: string;
  starts_at: Date;
  capacity: number;
  booked: number;
  withdrawn_at: Date | null;
}

export interface SlotView {
  region: string;
  slotId: string;
  hospital: string;
  department: string;
  doctor: string;
  startsAt: string;
  capacity: number;
  /** Places left; known only for this city's own slots (the owner decides). */
  available?: number;
  withdrawn: boolean;
}

/**
 * Bookable slots. This city's own slots are the owner's truth: a request from another city takes a place under a
 * row lock on the slot, so concurrent requests for the last place (one per city, on different topics, applied
 * concurrently) confirm exactly one. Other cities' slots are a projection of their broadcasts.
 */
@Injectable()
export class SlotsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly publisher: BusPublisher,
    private readonly replay: ReplayService,
  ) {}

  /** The peers' slots. Bookings stay: they are decisions this city made or asked for, not copies. */
  onModuleInit(): void {
    this.replay.registerProjection(async (manager) => {
      await manager.query('delete from slot where region <> $1', [this.config.region]);
    });
  }

  async publish(principal: Principal, dto: SlotPublishDto): Promise<SlotView> {
    assertOwnRegion(principal, this.config);
    const slot: SlotPublishedV1 = { slotId: randomUUID(), ...dto };
    return this.dataSource.transaction(async (manager) => {
      await this.project(manager, this.config.region, slot, principal.org);
      await this.publisher.publish(manager, HEALTH_SLOT_PUBLISHED_V1, slot.slotId, slot);
      return this.view(manager, this.config.region, slot.slotId);
    });
  }

  async withdraw(principal: Principal, slotId: string): Promise<SlotView> {
    assertOwnRegion(principal, this.config);
    return this.dataSource.transaction(async (manager) => {
      const [slot] = await manager.query<SlotRow[]>(
        'select * from slot where region = $1 and slot_id = $2 for update',
        [this.config.region, slotId],
      );
      if (!slot || slot.org !== principal.org) throw slotNotFound(slotId);
      await this.markWithdrawn(manager, this.config.region, { slotId });
      await this.publisher.publish(manager, HEALTH_SLOT_WITHDRAWN_V1, slotId, { slotId });
      return this.view(manager, this.config.region, slotId);
    });
  }

  async list(principal: Principal, region?: string): Promise<SlotView[]> {
    assertOwnRegion(principal, this.config);
    const rows = await this.dataSource.query<SlotRow[]>(
      `select * from slot where ($1::text is null or region = $1) and withdrawn_at is null and starts_at > $2
        order by starts_at, slot_id limit 1000`,
      [region ?? null, this.clock.now()],
    );
    return rows.map((row) => this.toView(row));
  }

  /** A peer's broadcast slot, or this city's own (with its organisation). */
  async project(manager: EntityManager, region: string, slot: SlotPublishedV1, org?: string): Promise<void> {
    await manager.query(
      `insert into slot (region, slot_id, org, hospital, department, doctor, starts_at, capacity)
       values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing`,
      [region, slot.slotId, org ?? null, slot.hospital, slot.department, slot.doctor, slot.startsAt, slot.capacity],
    );
  }

  async markWithdrawn(manager: EntityManager, region: string, slot: SlotWithdrawnV1): Promise<void> {
    await manager.query(
      'update slot set withdrawn_at = $3 where region = $1 and slot_id = $2 and withdrawn_at is null',
      [region, slot.slotId, this.clock.now()],
    );
  }

  /**
   * The owner's decision on a request from `requester` (this city itself for a local booking); undefined when the
   * request was decided (or cancelled) before.
   */
  async decide(
    manager: EntityManager,
    requester: string,
    request: BookingRequestedV1,
  ): Promise<BookingAnsweredV1 | undefined> {
    const [known] = await manager.query<unknown[]>('select 1 from slot_booking where booking_id = $1', [
      request.bookingId,
    ]);
    if (known) return undefined;
    const [slot] = await manager.query<SlotRow[]>('select * from slot where region = $1 and slot_id = $2 for update', [
      this.config.region,
      request.slotId,
    ]);
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
    if (reason === undefined) {
      await manager.query('update slot set booked = booked + 1 where region = $1 and slot_id = $2', [
        this.config.region,
        request.slotId,
      ]);
    }
    const outcome = reason === undefined ? 'confirmed' : 'rejected';
    await manager.query(
      `insert into slot_booking (booking_id, slot_id, requester, patient, status, reason, decided_at)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [request.bookingId, request.slotId, requester, request.patient, outcome, reason ?? null, now],
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
    const [booking] = await manager.query<{ status: string; requester: string }[]>(
      'select status, requester from slot_booking where booking_id = $1 for update',
      [cancellation.bookingId],
    );
    if (!booking) {
      // Cancelled before the request was decided: remember it, so the request is not decided later.
      await manager.query(
        `insert into slot_booking (booking_id, slot_id, requester, patient, status, reason, decided_at)
         values ($1, $2, $3, '', 'cancelled', $4, $5)`,
        [cancellation.bookingId, cancellation.slotId, requester, cancellation.reason, this.clock.now()],
      );
      return;
    }
    if (booking.requester !== requester || booking.status === 'cancelled') return;
    await manager.query(`update slot_booking set status = 'cancelled', reason = $2 where booking_id = $1`, [
      cancellation.bookingId,
      cancellation.reason,
    ]);
    if (booking.status === 'confirmed') {
      await manager.query('update slot set booked = booked - 1 where region = $1 and slot_id = $2', [
        this.config.region,
        cancellation.slotId,
      ]);
    }
  }

  private async view(manager: EntityManager, region: string, slotId: string): Promise<SlotView> {
    const [row] = await manager.query<SlotRow[]>('select * from slot where region = $1 and slot_id = $2', [
      region,
      slotId,
    ]);
    return this.toView(row);
  }

  private toView(row: SlotRow): SlotView {
    return {
      region: row.region,
      slotId: row.slot_id,
      hospital: row.hospital,
      department: row.department,
      doctor: row.doctor,
      startsAt: row.starts_at.toISOString(),
      capacity: row.capacity,
      ...(row.region === this.config.region && { available: row.capacity - row.booked }),
      withdrawn: row.withdrawn_at !== null,
    };
  }
}

export function slotNotFound(slotId: string): DomainError {
  return new DomainError('HEALTH.SLOT_NOT_FOUND', 'not-found', `no slot ${slotId}`);
}
