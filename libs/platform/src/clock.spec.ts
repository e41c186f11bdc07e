import { AppConfig } from '@app/config';
import { Clock } from './clock';

const clockWithOffset = (clockOffsetMs: number) => new Clock({ clockOffsetMs } as AppConfig);

describe(Clock.name, () => {
  it('runs ahead of real time by the configured offset', () => {
    const ahead = clockWithOffset(3_600_000).now().getTime() - Date.now();
    expect(ahead).toBeGreaterThan(3_599_000);
    expect(ahead).toBeLessThanOrEqual(3_600_000);
  });

  it('moves forward with advance and jumps with set', () => {
    const clock = clockWithOffset(0);
    clock.advance(86_400_000);
    expect(clock.now().getTime() - Date.now()).toBeGreaterThan(86_399_000);
    clock.set(new Date('2030-01-01T00:00:00Z'));
    expect(Math.abs(clock.now().getTime() - Date.parse('2030-01-01T00:00:00Z'))).toBeLessThan(1000);
  });
});
