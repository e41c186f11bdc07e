import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { AppConfig, loadConfig } from '@app/config';
import { ServiceName } from '@app/contracts';
import { databaseName, dropDatabase, withDatabase } from '@app/database';
import { KafkaBroker, freePort, repoRoot, startKafkaBroker } from '@app/embedded';
import { AppModuleFactory, startServiceApp } from '@app/platform';
import { Role, signDevToken } from '@app/http';
import { ROGUE_MARK } from './suite-broker-scan';
import { testInfra } from './test-infra';
import { sleep } from '@app/runtime';

/** Regions with names unique to one test (`laixi-3fa9c2`), so topics, groups and databases never collide. */
export interface TestRegions {
  file: string;
  /** Test region name by its base name: `names.laixi === 'laixi-3fa9c2'`. */
  names: Record<string, string>;
}

/**
 * Writes a region registry for this test: the repo's regions, each renamed with a unique suffix. A test that writes
 * clear identifiers to the broker on purpose asks for `rogue` regions (`laixi-rogue-3fa9c2`): the suite-wide broker
 * scan leaves their topics out.
 */
export function testRegions(bases: string[] = ['laixi', 'laiyang'], options: { rogue?: boolean } = {}): TestRegions {
  const suffix = `${options.rogue ? ROGUE_MARK : ''}${randomBytes(3).toString('hex')}`;
  const source = JSON.parse(readFileSync(join(repoRoot(), 'config', 'regions.three.json'), 'utf8')) as {
    regions: { name: string }[];
  };
  const names = Object.fromEntries(bases.map((base) => [base, `${base}-${suffix}`]));
  const regions = source.regions
    .filter((region) => bases.includes(region.name))
    .map((region) => ({ ...region, name: names[region.name] }));
  const file = join(mkdtempSync(join(tmpdir(), 'shuanglai-regions-')), 'regions.json');
  writeFileSync(file, JSON.stringify({ regions }, null, 2));
  return { file, names };
}

export interface TestServiceOptions {
  service: ServiceName;
  regions: TestRegions;
  /** Base name of the region (laixi, laiyang, jimo). */
  region: string;
  appModule: AppModuleFactory;
  env?: NodeJS.ProcessEnv;
}

export interface TestService {
  app: INestApplication;
  config: AppConfig;
  url: string;
  /** Closes the app and drops its database. */
  close(): Promise<void>;
}

/** The environment a test instance runs with: real broker, its own database, a free port. */
export async function testServiceEnv(options: Omit<TestServiceOptions, 'appModule'>): Promise<Record<string, string>> {
  const infra = testInfra();
  const region = options.regions.names[options.region];
  const env: Record<string, string> = {
    REGION: region,
    REGIONS_FILE: options.regions.file,
    DATABASE_URL: withDatabase(infra.postgresUrl, databaseName(region, options.service, infra.runId)),
    KAFKA_BROKERS: infra.kafkaBrokers,
    PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    // The suite's connection budget: see README, "Database connections".
    DATABASE_POOL_SIZE: '3',
    REGION_SIGNING_KEY: readFileSync(
      join(repoRoot(), 'config', 'dev-keys', `${options.region}.ed25519`),
      'utf8',
    ).trim(),
  };
  for (const [name, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[name] = value;
  return env;
}

export async function testServiceConfig(options: Omit<TestServiceOptions, 'appModule'>): Promise<AppConfig> {
  return loadConfig(options.service, await testServiceEnv(options), repoRoot());
}

/** Starts one service instance in this process, exactly as its main.ts would. */
export async function startTestService(options: TestServiceOptions): Promise<TestService> {
  const config = await testServiceConfig(options);
  const app = await startServiceApp(config, options.appModule);
  return {
    app,
    config,
    url: `http://127.0.0.1:${config.port}`,
    close: async () => {
      await app.close();
      await dropDatabase(config.databaseUrl);
    },
  };
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what: string | (() => string) = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(100);
  }
  const name = typeof what === 'function' ? what() : what;
  throw new Error(`${name} not reached within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
}

/** A bearer token the test stack accepts (the development secret). */
export function testToken(config: AppConfig, role: Role, org = `${config.region}-${role}-test`): string {
  return signDevToken({ role, region: config.region, org, sub: `test:${role}` }, config);
}

/** One instance of `service` in each of the regions, started together; `close` closes them all. */
export async function startTestServices(
  options: Omit<TestServiceOptions, 'region'> & { bases?: string[] },
): Promise<Record<string, TestService> & { close(): Promise<void> }> {
  const bases = options.bases ?? Object.keys(options.regions.names);
  const started = await Promise.all(bases.map((region) => startTestService({ ...options, region })));
  const services: Record<string, TestService> = Object.fromEntries(bases.map((base, i) => [base, started[i]]));
  return Object.assign(services, { close: async () => void (await Promise.all(started.map((s) => s.close()))) });
}

/** A Kafka broker of the test's own (not the run's), so that killing and restarting it disturbs no other test. */
export class PrivateBroker {
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'shuanglai-broker-'));
  broker?: KafkaBroker;

  get brokers(): string {
    return this.broker!.brokers;
  }

  async start(): Promise<this> {
    const previous = this.broker;
    this.broker = await startKafkaBroker({
      root: repoRoot(),
      dataDir: this.dataDir,
      heapMb: 384,
      port: previous?.port,
      controllerPort: previous?.controllerPort,
    });
    return this;
  }

  /** SIGKILL, as in a crash. */
  kill(): Promise<void> {
    return this.broker!.kill();
  }

  stop(): Promise<void> {
    return this.broker?.stop() ?? Promise.resolve();
  }
}
