import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { Principal } from '@app/http';
import { Clock } from '@app/platform';
import { bookingNotFound } from './booking.errors';
import { BookingRepository, BookingRow, BookingStatus, SlotRow } from './booking.repository';

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

/** Slots and bookings as the API shows them. */
@Injectable()
export class BookingQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly repository: BookingRepository,
  ) {}

  /** Upcoming slots of this city and of the peers (of `region` alone when given). */
  async listSlots(region?: string): Promise<SlotView[]> {
    const rows = await this.repository.upcomingSlots(this.dataSource.manager, region, this.clock.now());
    return rows.map((row) => this.toSlotView(row));
  }

  async getBooking(principal: Principal, bookingId: string): Promise<BookingView> {
    const row = await this.repository.findBooking(this.dataSource.manager, bookingId);
    if (!row || row.org !== principal.org) throw bookingNotFound(bookingId);
    return toBookingView(row);
  }

  /** A slot as written in `manager`'s transaction. */
  async slot(manager: EntityManager, region: string, slotId: string): Promise<SlotView> {
    return this.toSlotView((await this.repository.findSlot(manager, region, slotId))!);
  }

  /** A booking as written in `manager`'s transaction. */
  async booking(manager: EntityManager, bookingId: string): Promise<BookingView> {
    return toBookingView((await this.repository.findBooking(manager, bookingId))!);
  }

  private toSlotView(row: SlotRow): SlotView {
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

export function toBookingView(row: BookingRow): BookingView {
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
