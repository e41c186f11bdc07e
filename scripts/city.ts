/**
 * One region's services in one Node process (`npm start`'s default): the same apps, configuration and
 * ports as with one process each, for less memory. The environment is a service's, except that DATABASE_URL names
 * the server (each service gets its own database `shuanglai_<region>_<service>` on it) and the ports are the
 * registry's (PORT is ignored). Each app keeps its own metrics registry, Kafka clients and database pool.
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { AppConfig, ConfigError, loadConfig } from '@app/config';
import { SERVICE_NAMES, ServiceName } from '@app/contracts';
import { databaseName, withDatabase } from '@app/database';
import { AppModuleFactory, startServiceApp } from '@app/platform';
import { HealthRecordsAppModule } from '../apps/health-records/src/app.module';
import { LabResultsAppModule } from '../apps/lab-results/src/app.module';
import { AffairsAppModule } from '../apps/affairs/src/app.module';
import { LedgerAppModule } from '../apps/ledger/src/app.module';
import { PoliceAppModule } from '../apps/police/src/app.module';
import { TalentAppModule } from '../apps/talent/src/app.module';

const APP_MODULES: Record<ServiceName, AppModuleFactory> = {
  'health-records': (config) => HealthRecordsAppModule.register(config),
  'lab-results': (config) => LabResultsAppModule.register(config),
  talent: (config) => TalentAppModule.register(config),
  police: (config) => PoliceAppModule.register(config),
  affairs: (config) => AffairsAppModule.register(config),
  ledger: (config) => LedgerAppModule.register(config),
};

function serviceConfig(service: ServiceName): AppConfig {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: undefined };
  const { REGION, DATABASE_URL } = env;
  if (REGION && DATABASE_URL && URL.canParse(DATABASE_URL)) {
    env.DATABASE_URL = withDatabase(DATABASE_URL, databaseName(REGION, service));
  }
  return loadConfig(service, env);
}

async function main(): Promise<void> {
  let configs: AppConfig[];
  try {
    configs = SERVICE_NAMES.map(serviceConfig);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`city: invalid configuration: ${error.message}\n`);
    process.exit(2);
  }

  const apps: INestApplication[] = [];
  let closing: Promise<void> | undefined;
  const close = (code: number) => {
    closing ??= Promise.allSettled(apps.map((app) => app.close())).then(() => process.exit(code));
    return closing;
  };
  process.once('SIGTERM', () => void close(0));
  process.once('SIGINT', () => void close(0));
  // Started by `npm start` with an IPC channel: when the launcher dies, however it dies, stop with it.
  if (process.send) process.once('disconnect', () => void close(0));

  const results = await Promise.allSettled(
    configs.map(async (config) => {
      const app = await startServiceApp(config, APP_MODULES[config.service], { shutdownHooks: false });
      apps.push(app);
    }),
  );
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) {
    process.stderr.write(`city: a service did not start: ${String(failed.reason)}\n`);
    await close(1);
  }
}

void main();
