import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { LedgerAppModule } from '../apps/ledger/src/app.module';
import { LogQueriesService } from '../apps/ledger/src/log/log-queries.service';
import { LogRepository } from '../apps/ledger/src/log/log.repository';
import { LogService } from '../apps/ledger/src/log/log.service';
import { leafHash, treeRoot } from '../apps/ledger/src/log/merkle';
import { AppConfig, loadConfig } from '@app/config';
import { LedgerEntryV1 } from '@app/contracts';
import { databaseName, dropDatabase, withDatabase } from '@app/database';
import { freePort } from '@app/embedded';
import { signDevToken } from '@app/http';
import { startServiceApp } from '@app/platform';
import { BenchResult } from './report';
import { BenchStack } from './stack';
import { log, now, percentile, round, sleep, until } from './util';

export interface LedgerAgreementOptions {
  /** Entries of Laixi's log (the issue: 100,000). */
  entries: number;
  /** Entries appended per transaction while filling the log. */
  batch: number;
}

/**
 * ledger.agreement: the time to establish that both cities hold the same N entries of Laixi's log, once Laiyang's
 * copy has them: Laixi signs its head and submits it with the consistency proof from the head Laiyang cosigned at
 * N/2; Laiyang verifies the proof, recomputes its copy's root and cosigns; Laixi's `GET /ledger/agreement` then
 * recomputes both logs against their signed heads and finds them agreeing. Baseline: the plain RFC 9162 root of the
 * same N entries read from Laiyang's database (read and hash, nothing else), in the same run.
 */
export async function ledgerAgreement(stack: BenchStack, options: LedgerAgreementOptions): Promise<BenchResult[]> {
  const names = writeRegistry(stack);
  const laixi = await startInProcess(stack, names, 'laixi');
  const laiyang = await startInProcess(stack, names, 'laiyang');
  const log_ = laixi.app.get(LogService);
  const laixiData = laixi.app.get(DataSource);
  const laiyangData = laiyang.app.get(DataSource);
  const copySize = async () =>
    (await laiyang.app.get(LogRepository).state(laiyangData.manager, laixi.config.region)).size;
  const cosignedSize = async () =>
    Number(
      (
        await laixi.app
          .get(LogRepository)
          .lastCosignature(laixiData.manager, laixi.config.region, laiyang.config.region)
      )?.size ?? 0,
    );

  const fill = async (count: number) => {
    const started = now();
    for (let done = 0; done < count; done += options.batch) {
      await laixiData.transaction(async (manager) => {
        for (let i = 0; i < Math.min(options.batch, count - done); i++) {
          // Settlements of periods nobody declared: the peer copies them and applies nothing else.
          const entry: LedgerEntryV1 = {
            kind: 'period.settled',
            at: new Date().toISOString(),
            actor: 'bench:finance-bureau',
            settlement: { projectId: randomUUID(), period: '2026-Q3', declarationId: randomUUID(), version: 1 },
          };
          await log_.append(manager, entry);
        }
      });
    }
    const target = (await laixi.app.get(LogRepository).state(laixiData.manager, laixi.config.region)).size;
    await until(async () => (await copySize()) >= target, 1_800_000, `${target} entries in Laiyang's copy`, 200);
    log(`ledger: ${count} entries appended in Laixi and copied to Laiyang in ${Math.round(now() - started)} ms`);
    return target;
  };

  const half = await fill(Math.floor(options.entries / 2));
  await log_.publishHead();
  await until(async () => (await cosignedSize()) >= half, 600_000, `Laiyang's cosignature at ${half}`, 50);
  const size = await fill(options.entries - half);

  const started = now();
  await log_.publishHead();
  await until(async () => (await cosignedSize()) >= size, 600_000, `Laiyang's cosignature at ${size}`, 5);
  const agreement = await laixi.app.get(LogQueriesService).agreement();
  const agreementMs = now() - started;
  if (!agreement.agree || agreement.logs[0].agreedUpTo !== size) {
    throw new Error(`the ledgers should agree up to ${size}: ${agreement.summary}`);
  }
  log(`ledger.agreement: ${agreement.summary} (${Math.round(agreementMs)} ms)`);

  const baselineStarted = now();
  const rows = await laiyangData.query<{ entry: string }[]>(
    'select entry from ledger_log where origin = $1 order by idx',
    [laixi.config.region],
  );
  treeRoot(rows.map((row) => leafHash(row.entry)));
  const baselineMs = now() - baselineStarted;

  return [
    {
      name: 'ledger.agreement',
      value: round(agreementMs),
      unit: 'ms',
      baseline: { name: 'ledger.merkle.root', value: round(baselineMs) },
    },
  ];
}

export interface LedgerDeclareOptions {
  /** Offered load, declarations/s (the issue: 50), for this long. */
  rate: number;
  seconds: number;
}

/** The 96 periods of 2025–2030 a project may be declared for: its months and quarters. */
const PERIODS = [2025, 2026, 2027, 2028, 2029, 2030].flatMap((year) => [
  ...Array.from({ length: 12 }, (_, m) => `${year}-${String(m + 1).padStart(2, '0')}`),
  ...[1, 2, 3, 4].map((q) => `${year}-Q${q}`),
]);

/**
 * ledger.declare.p99: `POST /declarations` in Laiyang, the host, at a fixed offered rate (each a new period of an
 * effective project: the split, the log append with its signed head, and the outbox event in one transaction);
 * baseline: `GET /projects/{id}` on the same service at the same rate, in the same run (HTTP, auth and one indexed
 * read). Open loop: a request starts on schedule whether or not the previous ones have answered.
 */
export async function ledgerDeclare(stack: BenchStack, options: LedgerDeclareOptions): Promise<BenchResult[]> {
  const registry = writeRegistry(stack, 'declare');
  const laixi = await startInProcess(stack, registry, 'laixi');
  const laiyang = await startInProcess(stack, registry, 'laiyang');
  const total = options.rate * options.seconds;
  const projectCount = Math.ceil(total / PERIODS.length);
  const as = (config: AppConfig) => ({
    authorization: `Bearer ${signDevToken({ role: 'finance-bureau', region: config.region, org: 'bench', sub: 'bench:finance' }, config)}`,
    'content-type': 'application/json',
  });
  const url = (config: AppConfig) => `http://127.0.0.1:${config.port}`;
  const call = async (config: AppConfig, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url(config)}${path}`, {
      method,
      headers: as(config),
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };

  const projects: string[] = [];
  for (let i = 0; i < projectCount; i++) {
    const project = await call(laixi.config, 'POST', '/projects', {
      name: `Bench project ${i}`,
      creditCode: '91350100M000100Y43',
      flyOut: laixi.config.region,
      flyIn: laiyang.config.region,
      indicators: ['gdp-value-added', 'output-value', 'tax-vat'],
      validFrom: '2025-01-01',
      validUntil: '2030-12-31',
      agreementSha256: '0'.repeat(64),
    });
    projects.push(project.projectId as string);
  }
  for (const projectId of projects) {
    await until(
      async () => (await fetch(`${url(laiyang.config)}/projects/${projectId}`, { headers: as(laiyang.config) })).ok,
      60_000,
      `project ${projectId} in Laiyang`,
      50,
    );
    await call(laiyang.config, 'POST', `/projects/${projectId}/confirm`);
  }
  log(`ledger: ${projectCount} projects registered by Laixi and confirmed by Laiyang`);

  const openLoop = async (request: (i: number) => Promise<unknown>): Promise<number[]> => {
    const latencies: number[] = [];
    const pending: Promise<void>[] = [];
    const started = now();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / options.rate;
      if (due > now()) await sleep(due - now());
      const sent = now();
      pending.push(request(i).then(() => void latencies.push(now() - sent)));
    }
    await Promise.all(pending);
    return latencies;
  };
  const reads = await openLoop((i) => call(laiyang.config, 'GET', `/projects/${projects[i % projects.length]}`));
  const declarations = await openLoop((i) =>
    call(laiyang.config, 'POST', '/declarations', {
      projectId: projects[Math.floor(i / PERIODS.length)],
      period: PERIODS[i % PERIODS.length],
      amounts: [
        { indicator: 'gdp-value-added', amountFen: String(1_000_000 + i) },
        { indicator: 'tax-vat', amountFen: String(12_345 + i) },
      ],
    }),
  );
  log(`ledger.declare: ${declarations.length} declarations at ${options.rate}/s`);
  return [
    {
      name: 'ledger.declare.p99',
      value: round(percentile(declarations, 99)),
      unit: 'ms',
      baseline: { name: 'ledger.project.read.p99', value: round(percentile(reads, 99)) },
    },
  ];
}

/** A registry of this benchmark's own (`laixi-ledger3fa9c2`), so its topics and databases are its alone. */
function writeRegistry(stack: BenchStack, tag = 'ledger'): { file: string; names: Record<string, string> } {
  const source = JSON.parse(readFileSync(join(stack.root, 'config', 'regions.three.json'), 'utf8')) as {
    regions: { name: string }[];
  };
  const names: Record<string, string> = {
    laixi: `laixi-${tag}${stack.runId}`,
    laiyang: `laiyang-${tag}${stack.runId}`,
  };
  const regions = source.regions
    .filter((region) => region.name in names)
    .map((region) => ({ ...region, name: names[region.name] }));
  const dir = mkdtempSync(join(tmpdir(), 'shuanglai-bench-ledger-'));
  stack.onStop('remove the ledger benchmark registry', async () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'regions.json'), JSON.stringify({ regions }, null, 2));
  return { file: join(dir, 'regions.json'), names };
}

async function startInProcess(
  stack: BenchStack,
  registry: { file: string; names: Record<string, string> },
  base: string,
): Promise<{ app: Awaited<ReturnType<typeof startServiceApp>>; config: AppConfig }> {
  const name = registry.names[base];
  const config = loadConfig(
    'ledger',
    {
      REGION: name,
      REGIONS_FILE: registry.file,
      DATABASE_URL: withDatabase(stack.postgresUrl, databaseName(name, 'ledger', 'bench')),
      KAFKA_BROKERS: stack.kafkaBrokers,
      KAFKA_GROUP_PREFIX: `bench.${stack.runId}.`,
      PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      HEARTBEAT_INTERVAL_MS: '3600000',
      LEDGER_HEAD_INTERVAL_MS: '86400000',
      REGION_SIGNING_KEY: readFileSync(join(stack.root, 'config', 'dev-keys', `${base}.ed25519`), 'utf8').trim(),
    },
    stack.root,
  );
  stack.onStop(`drop ${config.region}'s ledger database`, () => dropDatabase(config.databaseUrl));
  const app = await startServiceApp(config, (c) => LedgerAppModule.register(c));
  stack.onStop(`close ${config.region}'s ledger`, () => app.close());
  return { app, config };
}
