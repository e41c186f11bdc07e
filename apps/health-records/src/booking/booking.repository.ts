import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BookingRejection, SlotPublishedV1 } from '@app/contracts';

export type BookingStatus = 'pending' | 'confirmed' | 'rejected' | 'expired' | 'cancelled';

/** A slot: this city's own (region = this city, with `org` and its places counted) or a peer's broadcast copy. */
export interface SlotRow {
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

/** A request for one of this city's slots, as this city (the owner) decided it. */
export interface SlotBookingRow {
  booking_id: string;
  slot_id: string;
  requester: string;
  patient: string;
  status: 'confirmed' | 'rejected' | 'cancelled';
  reason: string | null;
  decided_at: Date;
}

/** This city's booking of a slot, as the requester sees it. */
export interface BookingRow {
  booking_id: string;
  org: string;
  resident_id: string;
  patient: string;
  slot_region: string;
  slot_id: string;
  status: BookingStatus;
  reason: string | null;
  requested_at: Date;
  expires_at: Date;
  answered_at: Date | null;
}

/** The booking feature's SQL: the `slot`, `slot_booking` and `booking` tables. */
@Injectable()
export class BookingRepository {
  async insertSlot(manager: EntityManager, region: string, slot: SlotPublishedV1, org: string | null): Promise<void> {
    await manager.query(
      `insert into slot (region, slot_id, org, hospital, department, doctor, starts_at, capacity)
       values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing`,
      [region, slot.slotId, org, slot.hospital, slot.department, slot.doctor, slot.startsAt, slot.capacity],
    );
  }

  async findSlot(
    manager: EntityManager,
    region: string,
    slotId: string,
    lock: { forUpdate: boolean } = { forUpdate: false },
  ): Promise<SlotRow | undefined> {
    const [row] = await manager.query<SlotRow[]>(
      `select * from slot where region = $1 and slot_id = $2${lock.forUpdate ? ' for update' : ''}`,
      [region, slotId],
    );
    return row;
  }

  async markSlotWithdrawn(manager: EntityManager, region: string, slotId: string, at: Date): Promise<void> {
    await manager.query(
      'update slot set withdrawn_at = $3 where region = $1 and slot_id = $2 and withdrawn_at is null',
      [region, slotId, at],
    );
  }

  /** Slots not withdrawn that start after `now`, of `region` or of every region. */
  async upcomingSlots(manager: EntityManager, region: string | undefined, now: Date): Promise<SlotRow[]> {
    return manager.query<SlotRow[]>(
      `select * from slot where ($1::text is null or region = $1) and withdrawn_at is null and starts_at > $2
        order by starts_at, slot_id limit 1000`,
      [region ?? null, now],
    );
  }

  /** Adds `delta` (+1 a place taken, -1 a place given back) to the slot's booked places. */
  async addBooked(manager: EntityManager, region: string, slotId: string, delta: 1 | -1): Promise<void> {
    await manager.query('update slot set booked = booked + $3 where region = $1 and slot_id = $2', [
      region,
      slotId,
      delta,
    ]);
  }

  async deleteSlotsNotOf(manager: EntityManager, region: string): Promise<void> {
    await manager.query('delete from slot where region <> $1', [region]);
  }

  async slotBookingExists(manager: EntityManager, bookingId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>('select 1 from slot_booking where booking_id = $1', [bookingId]);
    return rows.length > 0;
  }

  async findSlotBookingForUpdate(manager: EntityManager, bookingId: string): Promise<SlotBookingRow | undefined> {
    const [row] = await manager.query<SlotBookingRow[]>('select * from slot_booking where booking_id = $1 for update', [
      bookingId,
    ]);
    return row;
  }

  async insertSlotBooking(
    manager: EntityManager,
    booking: Pick<SlotBookingRow, 'booking_id' | 'slot_id' | 'requester' | 'patient' | 'status' | 'reason'>,
    decidedAt: Date,
  ): Promise<void> {
    await manager.query(
      `insert into slot_booking (booking_id, slot_id, requester, patient, status, reason, decided_at)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        booking.booking_id,
        booking.slot_id,
        booking.requester,
        booking.patient,
        booking.status,
        booking.reason,
        decidedAt,
      ],
    );
  }

  async cancelSlotBooking(manager: EntityManager, bookingId: string, reason: string): Promise<void> {
    await manager.query(`update slot_booking set status = 'cancelled', reason = $2 where booking_id = $1`, [
      bookingId,
      reason,
    ]);
  }

  async insertPendingBooking(
    manager: EntityManager,
    booking: Pick<
      BookingRow,
      'booking_id' | 'org' | 'resident_id' | 'patient' | 'slot_region' | 'slot_id' | 'requested_at' | 'expires_at'
    >,
  ): Promise<BookingRow> {
    const [row] = await manager.query<BookingRow[]>(
      `insert into booking (booking_id, org, resident_id, patient, slot_region, slot_id, status, requested_at,
                            expires_at)
       values ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) returning *`,
      [
        booking.booking_id,
        booking.org,
        booking.resident_id,
        booking.patient,
        booking.slot_region,
        booking.slot_id,
        booking.requested_at,
        booking.expires_at,
      ],
    );
    return row;
  }

  async findBooking(
    manager: EntityManager,
    bookingId: string,
    lock: { forUpdate: boolean } = { forUpdate: false },
  ): Promise<BookingRow | undefined> {
    const [row] = await manager.query<BookingRow[]>(
      `select * from booking where booking_id = $1${lock.forUpdate ? ' for update' : ''}`,
      [bookingId],
    );
    return row;
  }

  /** Settles a pending booking with the owner's answer; returns whether it was still pending. */
  async answerPending(
    manager: EntityManager,
    bookingId: string,
    owner: string,
    answer: { outcome: 'confirmed' | 'rejected'; reason: BookingRejection | null; answeredAt: string },
  ): Promise<boolean> {
    // TypeORM answers an update with [rows, affected].
    const [, updated] = await manager.query<[unknown[], number]>(
      `update booking set status = $3, reason = $4, answered_at = $5
        where booking_id = $1 and slot_region = $2 and status = 'pending'`,
      [bookingId, owner, answer.outcome, answer.reason, answer.answeredAt],
    );
    return updated > 0;
  }

  /** Up to `limit` pending bookings whose time is up, locked (skipping those another transaction holds). */
  async lockOverdue(manager: EntityManager, now: Date, limit: number): Promise<BookingRow[]> {
    return manager.query<BookingRow[]>(
      `select * from booking where status = 'pending' and expires_at <= $1
        order by expires_at limit $2 for update skip locked`,
      [now, limit],
    );
  }

  async close(
    manager: EntityManager,
    bookingId: string,
    status: 'cancelled' | 'expired',
    at: Date,
  ): Promise<BookingRow> {
    const [[row]] = await manager.query<[BookingRow[], number]>(
      `update booking set status = $2, answered_at = coalesce(answered_at, $3) where booking_id = $1 returning *`,
      [bookingId, status, at],
    );
    return row;
  }
}
