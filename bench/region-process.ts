import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceName } from '@app/contracts';
import { SERVICE_NODE_FLAGS } from '@app/embedded';
import { log, now, sleep } from './util';

/** How long a service gets to stop after SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;

/**
 * One service instance in a Node process of its own, started exactly as `npm start` starts one (scripts/start.ts):
 * `node dist/apps/<service>/src/main.js` with its environment, an IPC channel (the service stops with the benchmark
 * however the benchmark ends), stdout and stderr into a log file.
 */
export class ServiceProcess {
  readonly pid: number;
  readonly url: string;
  private readonly child: ChildProcess;
  private stopping = false;
  /** Why the process ended, once it has. */
  private ended?: string;

  constructor(
    root: string,
    service: ServiceName,
    env: Record<string, string>,
    readonly logFile: string,
  ) {
    const output = createWriteStream(logFile, { flags: 'a' });
    this.child = spawn(
      process.execPath,
      [...SERVICE_NODE_FLAGS, join(root, 'dist', 'apps', service, 'src', 'main.js')],
      {
        cwd: root,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    this.child.stdout?.pipe(output, { end: false });
    this.child.stderr?.pipe(output, { end: false });
    if (this.child.pid === undefined) throw new Error(`could not start ${service}: no pid`);
    this.pid = this.child.pid;
    this.url = `http://127.0.0.1:${env.PORT}`;
    this.child.once('close', () => output.end());
    this.child.once('exit', (code, signal) => {
      this.ended = signal ? `killed by ${signal}` : `exited with code ${code}`;
      if (!this.stopping) log(`${env.REGION} ${service} (pid ${this.pid}) ${this.ended}; its log:\n${this.logTail()}`);
    });
  }

  /** Throws once the process has ended, unless it was asked to. */
  assertRunning(): void {
    if (this.ended !== undefined && !this.stopping) throw new Error(`region B's service ${this.ended}`);
  }

  /** Waits until GET /health answers 200 (the database and Kafka answer): the service is up and consuming. */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = now() + timeoutMs;
    let last = 'no answer';
    while (now() < deadline) {
      this.assertRunning();
      try {
        const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(5000) });
        if (response.status === 200) return;
        last = `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await sleep(200);
    }
    throw new Error(`${this.url}/health did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
  }

  /** SIGTERM, then SIGKILL if it has not exited after 10 s; resolves once it has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      log(`pid ${this.pid} still running ${STOP_GRACE_MS / 1000} s after SIGTERM: SIGKILL`);
      this.child.kill('SIGKILL');
    }, STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  /** The last lines of the service's log. */
  logTail(lines = 30): string {
    try {
      const text = readFileSync(this.logFile, 'utf8').trimEnd();
      return text ? text.split('\n').slice(-lines).join('\n') : '(empty)';
    } catch {
      return '(no log)';
    }
  }
}
