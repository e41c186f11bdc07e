import 'reflect-metadata';
import { ConfigError } from '@app/config';
import { startConsole } from './console.app';

async function main(): Promise<void> {
  try {
    const console = await startConsole({ LOG_LEVEL: 'info', ...process.env }, { shutdownHooks: true });
    process.stdout.write(
      `operator console on ${console.url}: log in with an operator token of ${console.region} ` +
        `(\`npm run -s token -- operator ${console.region}\` outside production)\n`,
    );
    if (process.send) {
      // Started by `npm start` with an IPC channel: when the launcher dies, however it dies, stop with it.
      process.once('disconnect', () => void console.close().finally(() => process.exit(0)));
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`console: invalid configuration: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

void main();
