import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';

/**
 * The service's notion of now. Every deadline, expiry, validity window and timeout reads it, so that tests can
 * move time (`advance`, `set`, or CLOCK_OFFSET_MS for a child process) instead of sleeping it out.
 */
@Injectable()
export class Clock {
  private offsetMs: number;

  constructor(config: AppConfig) {
    this.offsetMs = config.clockOffsetMs;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Tests: moves the clock forward by `ms` (backward when negative). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Tests: makes `now()` return `date` at this moment, then run on from it. */
  set(date: Date): void {
    this.offsetMs = date.getTime() - Date.now();
  }
}
