import { BookingRejection } from '@app/contracts';

export interface SlotState {
  capacity: number;
  booked: number;
  startsAt: Date;
  withdrawn: boolean;
}

/** Why the owner rejects a request for a place in `slot` at `now`, or undefined when it takes one. */
export function bookingRejection(slot: SlotState | undefined, now: Date): BookingRejection | undefined {
  if (!slot || slot.withdrawn || slot.startsAt <= now) return 'slot-gone';
  if (slot.booked >= slot.capacity) return 'slot-full';
  return undefined;
}
