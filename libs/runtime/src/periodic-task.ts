import { Logger } from '@nestjs/common';

export interface PeriodicTaskOptions {
  /** Names the task in its log lines. */
  name: string;
  /** Time between the end of one pass and the start of the next. */
  intervalMs: number;
  /** One pass. Its failure is logged and the task carries on. */
  run: () => Promise<unknown>;
  logger?: Pick<Logger, 'warn'>;
  /** Also run a pass as soon as the task starts. */
  runAtStart?: boolean;
}

/**
 * A job run periodically, one pass at a time: a pass never overlaps the previous one, `wake()` asks for a pass
 * now (or right after the running one), and `stop()` waits for the running pass. The timer does not keep the
 * process alive. The only way services run something periodically.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private started = false;

  constructor(private readonly options: PeriodicTaskOptions) {
    if (!Number.isFinite(options.intervalMs) || options.intervalMs <= 0) {
      throw new RangeError(`${options.name}: intervalMs must be a positive number, not ${options.intervalMs}`);
    }
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.options.runAtStart) this.wake();
    else this.schedule();
  }

  /** Runs a pass now; if one is running, runs another as soon as it ends. */
  wake(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.pass();
  }

  /** Stops the timer and waits for the running pass, if any. */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Whether a pass is running now. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  private async pass(): Promise<void> {
    try {
      do {
        this.again = false;
        try {
          await this.options.run();
        } catch (error) {
          const logger = this.options.logger ?? new Logger(this.options.name);
          logger.warn(`${this.options.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      } while (this.again && this.started);
    } finally {
      this.running = undefined;
      this.schedule();
    }
  }

  private schedule(): void {
    if (!this.started || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, this.options.intervalMs);
    this.timer.unref();
  }
}
