import { PeriodicTask } from './periodic-task';

const quiet = { warn: jest.fn() };

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('PeriodicTask', () => {
  it('runs passes one at a time, never overlapping', async () => {
    let active = 0;
    let maxActive = 0;
    let passes = 0;
    const task = new PeriodicTask({
      name: 'overlap',
      intervalMs: 1,
      logger: quiet,
      run: async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active -= 1;
        passes += 1;
      },
    });
    task.start();
    for (let i = 0; i < 20; i += 1) task.wake();
    await until(() => passes >= 5);
    await task.stop();
    expect(maxActive).toBe(1);
  });

  it('wake() during a pass runs exactly one more pass right after it', async () => {
    let release!: () => void;
    let passes = 0;
    const task = new PeriodicTask({
      name: 'wake',
      intervalMs: 60_000,
      logger: quiet,
      run: async () => {
        passes += 1;
        if (passes === 1) await new Promise<void>((resolve) => (release = resolve));
      },
    });
    task.start();
    task.wake();
    await until(() => passes === 1 && release !== undefined);
    task.wake();
    task.wake();
    release();
    await until(() => passes === 2 && !task.busy);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(passes).toBe(2);
    await task.stop();
  });

  it('logs a failed pass and keeps running', async () => {
    const logger = { warn: jest.fn() };
    let passes = 0;
    const task = new PeriodicTask({
      name: 'flaky',
      intervalMs: 1,
      logger,
      runAtStart: true,
      run: async () => {
        passes += 1;
        if (passes === 1) throw new Error('database down');
      },
    });
    task.start();
    await until(() => passes >= 3);
    await task.stop();
    expect(logger.warn).toHaveBeenCalledWith('flaky failed: database down');
  });

  it('stop() waits for the running pass and runs no more', async () => {
    let finished = false;
    let passes = 0;
    const task = new PeriodicTask({
      name: 'stop',
      intervalMs: 1,
      logger: quiet,
      runAtStart: true,
      run: async () => {
        passes += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        finished = true;
      },
    });
    task.start();
    await until(() => passes === 1);
    await task.stop();
    expect(finished).toBe(true);
    const after = passes;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(passes).toBe(after);
  });

  it('refuses an interval that is not a positive number', () => {
    expect(() => new PeriodicTask({ name: 'bad', intervalMs: 0, run: async () => undefined })).toThrow(RangeError);
  });
});
