import { DomainError } from '@app/http';

export function slotNotFound(slotId: string): DomainError {
  return new DomainError('HEALTH.SLOT_NOT_FOUND', 'not-found', `no slot ${slotId}`);
}

export function bookingNotFound(bookingId: string): DomainError {
  return new DomainError('HEALTH.BOOKING_NOT_FOUND', 'not-found', `no booking ${bookingId}`);
}
