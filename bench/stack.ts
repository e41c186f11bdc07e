import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { BUS_MIGRATIONS, BusPublisher } from '@app/bus';
import { AppConfig, loadConfig } from '@app/config';
import { SERVICES, deadLetterTopic, domainTopic } from '@app/contracts';
import { databaseName, dropDatabase, ensureDatabase, withDatabase } from '@app/database';
import { freePort, pinnedKafkaVersion, repoRoot, resolvePostgres, startKafkaBroker } from '@app/embedded';
import { startServiceApp } from '@app/platform';
import { TalentAppModule } from '../apps/talent/src/app.module';
import { ProbeReader } from './probes';
import { ServiceProcess } from './region-process';
import { log, now } from './util';

/** Partitions of every topic the benchmark uses (the embedded broker's default for auto-created topics too). */
export const PARTITIONS = 3;

/** One talent service instance of one region. */
export interface RegionService {
  /** Base name: laixi or laiyang. */
  base: string;
  /** Unique name of this run: laixi-3fa9c2. */
  name: string;
  config: AppConfig;
  /** The region's own topic, the one its relay writes. */
  topic: string;
}

/** Region A's talent service, in this process: the benchmark drives its publisher and reads its pool directly. */
export interface RegionApp extends RegionService {
  app: INestApplication;
  dataSource: DataSource;
  publisher: BusPublisher;
}

/**
 * Region B's talent service in a process of its own, as in production; the benchmark sees what it applied only
 * through its database (`probes`).
 */
export interface RegionProcess extends RegionService {
  process: ServiceProcess;
  probes: ProbeReader;
}

export interface PlainDatabase {
  dataSource: DataSource;
  url: string;
}

/**
 * The benchmark's own infrastructure: a Kafka broker (unless KAFKA_BROKERS names one), PostgreSQL (resolvePostgres),
 * a region registry with names unique to this run (so topics, groups and databases never collide with anything
 * else on the same broker and server), the talent service of region A (laixi) in this process, and the talent
 * service of region B (laiyang) in a process of its own, started as `npm start` starts it. Everything it starts or
 * creates is undone by `stop()`, also after a failure half-way through `start()`.
 */
export class BenchStack {
  readonly root = repoRoot();
  readonly runId = randomBytes(3).toString('hex');
  kafkaBrokers = '';
  kafkaVersion = '';
  /** The broker's JVM, when this run started it. */
  kafkaPid?: number;
  postgresUrl = '';
  kafka!: Kafka;
  a!: RegionApp;
  b!: RegionProcess;
  private readonly cleanups: { what: string; run: () => Promise<void> }[] = [];
  private tmpDir = '';
  private regionsFile = '';
  private regionNames: Record<string, string> = {};

  async start(): Promise<void> {
    const kafkaDir = mkdtempSync(join(tmpdir(), 'shuanglai-bench-kafka-'));
    this.onStop('remove the broker data', async () => rmSync(kafkaDir, { recursive: true, force: true }));
    const postgres = await resolvePostgres({ dataDir: join(this.root, '.data', 'bench-postgres'), log });
    this.onStop('stop PostgreSQL', () => postgres.stop());
    this.postgresUrl = postgres.url;
    if (process.env.KAFKA_BROKERS) {
      this.kafkaBrokers = process.env.KAFKA_BROKERS;
      this.kafkaVersion = `external broker (repo pins ${pinnedKafkaVersion(this.root)})`;
    } else {
      const broker = await startKafkaBroker({ root: this.root, dataDir: kafkaDir, heapMb: 768, log });
      this.onStop('stop the Kafka broker', () => broker.stop());
      this.kafkaBrokers = broker.brokers;
      this.kafkaPid = broker.pid;
      this.kafkaVersion = pinnedKafkaVersion(this.root);
    }
    this.kafka = new Kafka({
      clientId: `bench-${this.runId}`,
      brokers: this.kafkaBrokers.split(','),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      requestTimeout: 10_000,
      retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
    });

    this.writeRegions(['laixi', 'laiyang']);
    const names = Object.values(this.regionNames);
    await this.createTopics([
      ...names.map((name) => domainTopic(name, SERVICES.talent.domain)),
      ...names.map((name) => deadLetterTopic(name)),
    ]);
    this.a = await this.startRegion('laixi');
    this.b = await this.startRegionProcess('laiyang', this.a.name);
  }

  /** Undoes everything `start()` and the benchmarks did, newest first; never throws. */
  async stop(): Promise<void> {
    while (this.cleanups.length > 0) {
      const { what, run } = this.cleanups.pop()!;
      try {
        await run();
      } catch (error) {
        log(`cleanup: could not ${what}: ${(error as Error).message}`);
      }
    }
  }

  onStop(what: string, run: () => Promise<void>): void {
    this.cleanups.push({ what, run });
  }

  async createTopics(topics: string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS })),
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * A database of its own on the same server with the bus's schema (the same migrations every service runs) and
   * the same pool settings as a service's, but with no relay and no consumer attached to it.
   */
  async plainDatabase(label: string): Promise<PlainDatabase> {
    const url = withDatabase(this.postgresUrl, `shuanglai_bench_${this.runId}_${label}`);
    await ensureDatabase(url);
    this.onStop(`drop the ${label} database`, () => dropDatabase(url));
    const dataSource = new DataSource({
      type: 'postgres',
      url,
      migrations: BUS_MIGRATIONS,
      migrationsRun: true,
      migrationsTransactionMode: 'each',
      synchronize: false,
      applicationName: `bench/${label}`,
      extra: { max: 10, connectionTimeoutMillis: 5000 },
    });
    await dataSource.initialize();
    this.onStop(`close the ${label} database`, () => dataSource.destroy());
    return { dataSource, url };
  }

  /**
   * The environment region `base`'s talent service runs with (as `npm start` and the tests give it): this run's
   * registry, database and consumer groups, the region's dev signing key, LOG_LEVEL=warn, rare heartbeats.
   */
  regionEnv(base: string, port: number): Record<string, string> {
    const name = this.regionNames[base];
    return {
      REGION: name,
      REGIONS_FILE: this.regionsFile,
      DATABASE_URL: withDatabase(this.postgresUrl, databaseName(name, 'talent', 'bench')),
      KAFKA_BROKERS: this.kafkaBrokers,
      KAFKA_GROUP_PREFIX: `bench.${this.runId}.`,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      HEARTBEAT_INTERVAL_MS: '3600000',
      REGION_SIGNING_KEY: readFileSync(join(this.root, 'config', 'dev-keys', `${base}.ed25519`), 'utf8').trim(),
    };
  }

  private writeRegions(bases: string[]): void {
    const source = JSON.parse(readFileSync(join(this.root, 'config', 'regions.three.json'), 'utf8')) as {
      regions: { name: string }[];
    };
    this.regionNames = Object.fromEntries(bases.map((base) => [base, `${base}-${this.runId}`]));
    const regions = source.regions
      .filter((region) => bases.includes(region.name))
      .map((region) => ({ ...region, name: this.regionNames[region.name] }));
    this.tmpDir = mkdtempSync(join(tmpdir(), 'shuanglai-bench-regions-'));
    const dir = this.tmpDir;
    this.onStop('remove the region registry and the service logs', async () =>
      rmSync(dir, { recursive: true, force: true }),
    );
    this.regionsFile = join(dir, 'regions.json');
    writeFileSync(this.regionsFile, JSON.stringify({ regions }, null, 2));
  }

  private async startRegion(base: string): Promise<RegionApp> {
    const config = loadConfig('talent', this.regionEnv(base, await freePort()), this.root);
    // Registered before the start: a start that fails half-way may already have created the database.
    this.onStop(`drop ${config.region}'s database`, () => dropDatabase(config.databaseUrl));
    const started = now();
    const app = await startServiceApp(config, (c) => TalentAppModule.register(c));
    this.onStop(`close ${config.region}'s service`, () => app.close());
    log(`talent of ${config.region} up in ${Math.round(now() - started)} ms on port ${config.port}`);
    return {
      base,
      name: config.region,
      app,
      config,
      dataSource: app.get(DataSource),
      publisher: app.get(BusPublisher),
      topic: domainTopic(config.region, SERVICES.talent.domain),
    };
  }

  /**
   * Starts region `base`'s talent service as `npm start` does (`node dist/apps/talent/src/main.js` with its
   * environment), waits until its /health answers 200, and connects to its database as `origin`'s probe reader.
   */
  private async startRegionProcess(base: string, origin: string): Promise<RegionProcess> {
    const env = this.regionEnv(base, await freePort());
    // The same validation the service runs at its start, here to name its database and topic.
    const config = loadConfig('talent', env, this.root);
    // Registered before the start: a start that fails half-way may already have created the database. Cleanups run
    // newest first, so the database is dropped after the process has exited.
    this.onStop(`drop ${config.region}'s database`, () => dropDatabase(config.databaseUrl));
    const started = now();
    const service = new ServiceProcess(this.root, 'talent', env, join(this.tmpDir, `${config.region}-talent.log`));
    this.onStop(`stop ${config.region}'s service (pid ${service.pid})`, () => service.stop());
    await service.waitHealthy(120_000);
    log(
      `talent of ${config.region} up in its own process (pid ${service.pid}) in ${Math.round(now() - started)} ms ` +
        `on port ${config.port}; log ${service.logFile}`,
    );
    const probes = await ProbeReader.connect(config.databaseUrl, origin, service);
    this.onStop(`close the connection to ${config.region}'s database`, () => probes.close());
    return {
      base,
      name: config.region,
      config,
      process: service,
      probes,
      topic: domainTopic(config.region, SERVICES.talent.domain),
    };
  }
}
