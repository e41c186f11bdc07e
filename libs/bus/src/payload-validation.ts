import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EVENT_TYPES, EventType, formatValidationErrors } from '@app/contracts';
import { BusError } from './bus.errors';

/** The payload as an instance of its type's class, or a BusError naming each invalid field. */
export function validatePayload<T extends EventType>(type: T, data: unknown): InstanceType<(typeof EVENT_TYPES)[T]> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new BusError('BUS.INVALID_PAYLOAD', `payload of ${type} must be a JSON object`);
  }
  const payloadClass: new () => object = EVENT_TYPES[type];
  const payload = plainToInstance(payloadClass, data) as InstanceType<(typeof EVENT_TYPES)[T]>;
  const errors = validateSync(payload, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new BusError('BUS.INVALID_PAYLOAD', `invalid ${type}: ${formatValidationErrors(errors).join('; ')}`);
  }
  return payload;
}
