import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { repoRoot } from '@app/embedded';
import { ConsoleConfig, loadConsoleConfig } from './console.config';
import { ConsoleModule } from './console.module';
import { requestGate } from './session/request-gate.middleware';

export interface RunningConsole {
  app: NestExpressApplication;
  url: string;
  /** Whose operators may log in. */
  region: string;
  close(): Promise<void>;
}

/** The page is plain HTML, CSS and JavaScript served as they are: nothing to build. */
export const CONSOLE_PUBLIC_DIR = join(repoRoot(), 'apps', 'console', 'public');

export interface ConsoleAppOptions {
  logLevel?: string;
  /**
   * Close on SIGINT/SIGTERM (Nest then re-raises the signal, ending the process): for the console's own process,
   * never inside a launcher, which must stop its other children first.
   */
  shutdownHooks?: boolean;
}

export async function startConsoleApp(config: ConsoleConfig, options: ConsoleAppOptions = {}): Promise<RunningConsole> {
  const { logLevel = 'info', shutdownHooks = false } = options;
  const app = await NestFactory.create<NestExpressApplication>(ConsoleModule.register(config, logLevel), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  if (shutdownHooks) app.enableShutdownHooks();
  // Before the static files and every route: nothing is served to a Host or Origin the console does not know.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          frameAncestors: ["'none'"],
          // Over plain HTTP on loopback, upgrading would break the page's own script and style.
          upgradeInsecureRequests: config.secureCookies ? [] : null,
        },
      },
      strictTransportSecurity: config.secureCookies,
    }),
    requestGate(config),
  );
  app.useStaticAssets(CONSOLE_PUBLIC_DIR, { index: 'index.html' });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('Shuanglai Bus · operator console').setVersion('1').build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  await app.listen(config.port, config.host);
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return { app, url: `http://${host}:${config.port}`, region: config.region, close: () => app.close() };
}

/**
 * For launchers (`npm start`): the console of the stack they started, configured from `env` as its own process
 * would be (PORT defaults to 3000). The launcher handles the signals and calls `close()`.
 */
export function startConsole(env: NodeJS.ProcessEnv = process.env, options: ConsoleAppOptions = {}) {
  return startConsoleApp(loadConsoleConfig(env, repoRoot()), { logLevel: env.LOG_LEVEL || 'warn', ...options });
}
