import { bookingRejection } from './booking.rules';

const now = new Date('2026-11-24T08:00:00Z');
const slot = { capacity: 2, booked: 1, startsAt: new Date('2026-12-01T01:00:00Z'), withdrawn: false };

describe(bookingRejection.name, () => {
  it('takes a place while one is left', () => {
    expect(bookingRejection(slot, now)).toBeUndefined();
  });

  it('rejects a full slot', () => {
    expect(bookingRejection({ ...slot, booked: 2 }, now)).toBe('slot-full');
  });

  it('rejects an unknown, withdrawn or past slot as gone', () => {
    expect(bookingRejection(undefined, now)).toBe('slot-gone');
    expect(bookingRejection({ ...slot, withdrawn: true }, now)).toBe('slot-gone');
    expect(bookingRejection({ ...slot, startsAt: now }, now)).toBe('slot-gone');
  });
});
