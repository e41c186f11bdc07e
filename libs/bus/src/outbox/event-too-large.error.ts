import { DomainError } from '@app/http';

/** An event the broker would never accept: refused when it is published, so its transaction writes nothing. */
export class EventTooLargeError extends DomainError {
  constructor(type: string, sizeBytes: number, limitBytes: number) {
    super(
      'BUS.EVENT_TOO_LARGE',
      'too-large',
      `the event ${type} would take ${sizeBytes} bytes on the bus; the limit is ${limitBytes} bytes ` +
        '(KAFKA_MAX_MESSAGE_BYTES)',
      { details: { type, sizeBytes, limitBytes } },
    );
  }
}
