import { join } from 'node:path';
import { INestApplication, Type } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppConfig, AppConfigModule, loadConfig } from '@app/config';
import { HttpCoreModule } from './http-core.module';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A laixi talent config from the repo's region registry; `env` adds or overrides variables. */
export function testConfig(env: NodeJS.ProcessEnv = {}): AppConfig {
  return loadConfig(
    'talent',
    { REGION: 'laixi', DATABASE_URL: 'postgres://x@127.0.0.1/x', KAFKA_BROKERS: '127.0.0.1:9092', ...env },
    REPO_ROOT,
  );
}

/** An express app with HttpCoreModule and the given controllers, as a service would boot it. */
export async function createTestApp(controllers: Type[], config: AppConfig = testConfig()): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(config), HttpCoreModule],
    controllers,
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  await app.init();
  return app;
}
