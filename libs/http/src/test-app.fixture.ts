import { join } from 'node:path';
import { INestApplication, Module, Type } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppConfig, loadConfig } from '@app/config';
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

/** Stands in for the global config module the services provide. */
@Module({})
class TestConfigModule {}

/** An express app with HttpCoreModule and the given controllers, as a service would boot it. */
export async function createTestApp(controllers: Type[], config: AppConfig = testConfig()): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      {
        module: TestConfigModule,
        global: true,
        providers: [{ provide: AppConfig, useValue: config }],
        exports: [AppConfig],
      },
      HttpCoreModule,
    ],
    controllers,
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  await app.init();
  return app;
}
