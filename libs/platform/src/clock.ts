import { Injectable } from '@nestjs/common';

/** Temporary stand-in for the lead's Clock (replaced when main's lands). */
@Injectable()
export class Clock {
  private offsetMs =
    process.env.NODE_ENV === 'test' && process.env.CLOCK_OFFSET_MS ? Number(process.env.CLOCK_OFFSET_MS) : 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  set(date: Date): void {
    this.offsetMs = date.getTime() - Date.now();
  }
}
