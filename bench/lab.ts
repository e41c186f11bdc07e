import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { HealthRecordsAppModule } from '../apps/health-records/src/app.module';
import { LabResultsAppModule } from '../apps/lab-results/src/app.module';
import { CatalogueService } from '../apps/lab-results/src/catalogue/catalogue.service';
import { LabConsentService } from '../apps/lab-results/src/consent/lab-consent.service';
import { QualificationService } from '../apps/lab-results/src/qualification/qualification.service';
import { ReportsService } from '../apps/lab-results/src/reports/reports.service';
import { CANDIDATE_SQL } from '../apps/lab-results/src/reuse/reuse.repository';
import { BusPublisher, Pseudonymizer } from '@app/bus';
import { AppConfig, loadConfig } from '@app/config';
import { HEALTH_CONSENT_GRANTED_V1, ServiceName } from '@app/contracts';
import { databaseName, dropDatabase, withDatabase } from '@app/database';
import { freePort } from '@app/embedded';
import { Principal, signDevToken } from '@app/http';
import { startServiceApp } from '@app/platform';
import { BenchResult } from './report';
import { ServiceProcess } from './region-process';
import { BenchStack } from './stack';
import { log, now, percentile, round, sleep, until } from './util';

const DAY_MS = 24 * 60 * 60 * 1000;
const CODES = Array.from({ length: 20 }, (_, i) => `T${String(i + 1).padStart(2, '0')}`);
const LABS = ['LX-A', 'LX-B', 'LX-C', 'LX-D', 'LX-E'];
/** Synthetic IDs (valid check characters) of the measured patient and of the others whose reports fill the tables. */
const PATIENT = '370285196205237809';
const OTHERS = ['370285196908126873', '370285200402156134', '370285199110015262', '37028519900101018X'];

export interface LabReuseOptions {
  seconds: number;
  /** Offered load, queries/s, and concurrent connections offering it. */
  rate: number;
  connections: number;
  /** Prior reports of the measured patient (each with 8 of the 20 codes), and of each other patient. */
  reports: number;
  otherReports: number;
}

/**
 * lab.reuse.p50/p99: the reuse query over HTTP (20 codes, a patient with 200 prior reports from Laixi) against
 * Laiyang's lab-results in a process of its own, at a fixed offered rate from autocannon; baseline: the plain
 * indexed SELECT of the same candidates, straight on the same database at the same rate and concurrency. The data
 * arrives as in production: issued in Laixi under the patient's consent, carried by the bus.
 */
export async function labReuse(stack: BenchStack, options: LabReuseOptions): Promise<BenchResult[]> {
  const names = writeRegistry(stack);
  const laixiLab = await startInProcess(stack, names, 'laixi', 'lab-results');
  const laixiHealth = await startInProcess(stack, names, 'laixi', 'health-records');
  const laiyang = await startProcess(stack, names, 'laiyang', 'lab-results');

  const operator = bearer(laiyang.config, 'operator', 'ly-commission');
  const catalogueItems = CODES.map((code, i) => ({
    code,
    name: `Test ${code}`,
    unit: 'mmol/L',
    priceFen: 1000 + i * 100,
    validityDays: i % 2 === 0 ? 7 : 30,
  }));
  const published = await fetch(`${laiyang.url}/catalogue/versions`, {
    method: 'POST',
    headers: { Authorization: operator, 'Content-Type': 'application/json' },
    body: JSON.stringify({ items: catalogueItems }),
  });
  if (published.status !== 201)
    throw new Error(`laiyang catalogue: HTTP ${published.status} ${await published.text()}`);
  await laixiLab.app.get(CatalogueService).publish({ items: catalogueItems });
  const clock = new Date();
  for (const labId of LABS) {
    await laixiLab.app.get(QualificationService).grant({
      labId,
      labName: `Laixi ${labId}`,
      accreditation: `CNAS ${labId}`,
      eqaResult: 'pass',
      validFrom: new Date(clock.getTime() - 365 * DAY_MS).toISOString(),
      validUntil: new Date(clock.getTime() + 365 * DAY_MS).toISOString(),
    });
  }

  const pseudonymizer = laixiLab.app.get(Pseudonymizer);
  const patients = [PATIENT, ...OTHERS];
  for (const residentId of patients) await grantConsent(laixiHealth, pseudonymizer.of(residentId), names);
  const consent = laixiLab.app.get(LabConsentService);
  const laixiData = laixiLab.app.get(DataSource);
  await until(
    async () => {
      for (const residentId of patients) {
        const targets = await consent.shareTargets(laixiData.manager, pseudonymizer.of(residentId), new Date());
        if (targets.length === 0) return false;
      }
      return true;
    },
    60_000,
    'consents known in laixi',
    100,
  );

  const started = now();
  const his: Principal = { role: 'his', region: names.laixi, org: 'lx-peoples', sub: 'bench' };
  let total = 0;
  for (const [p, residentId] of patients.entries()) {
    const count = p === 0 ? options.reports : options.otherReports;
    for (let r = 0; r < count; r++) {
      // One report a day going back in time: the older ones are outside every window.
      const collected = new Date(clock.getTime() - (r + 0.5) * DAY_MS);
      await laixiLab.app.get(ReportsService).issue(his, {
        reportId: `B-${p}-${r}`,
        residentId,
        labId: LABS[r % LABS.length],
        labName: `Laixi ${LABS[r % LABS.length]}`,
        specimen: 'venous blood',
        collectedAt: collected.toISOString(),
        reportedAt: new Date(collected.getTime() + 3_600_000).toISOString(),
        items: Array.from({ length: 8 }, (_, k) => ({
          code: CODES[(r + k * 3) % CODES.length],
          name: 'bench item',
          value: 4 + ((r + k) % 5),
          unit: 'mmol/L',
          referenceRange: '3.9-6.1',
          abnormal: (r + k) % 7 === 0,
        })),
      });
      total++;
    }
  }
  const pool = new Pool({ connectionString: laiyang.config.databaseUrl, max: 10 });
  stack.onStop('close the benchmark pool of laiyang lab-results', () => pool.end());
  await until(
    async () => (await pool.query<{ n: number }>('select count(*)::int as n from lab_report')).rows[0].n === total,
    120_000,
    `${total} reports in laiyang`,
    200,
  );
  log(`lab.reuse: ${total} reports issued in laixi and stored in laiyang in ${Math.round(now() - started)} ms`);

  const patient = pseudonymizer.of(PATIENT);
  // The candidate read the service makes (lab_report by patient, its items by code, within each code's window).
  const windows = catalogueItems.map((item) => item.validityDays);
  const baseline = await paced(options, async () => {
    await pool.query(CANDIDATE_SQL, [patient, names.laiyang, CODES, windows, new Date()]);
  });

  const body = JSON.stringify({ residentId: PATIENT, codes: CODES });
  const headers = { Authorization: bearer(laiyang.config, 'his', 'ly-central'), 'Content-Type': 'application/json' };
  const check = await fetch(`${laiyang.url}/reuse-queries`, { method: 'POST', headers, body });
  const sample = (await check.json()) as { answers?: { reusable: boolean }[] };
  if (check.status !== 201 || sample.answers?.filter((a) => a.reusable).length !== CODES.length) {
    throw new Error(`lab.reuse: unexpected answer (HTTP ${check.status}): ${JSON.stringify(sample).slice(0, 500)}`);
  }
  await autocannon({ url: `${laiyang.url}/reuse-queries`, method: 'POST', headers, body, connections: 4, amount: 200 });
  const result = await autocannon({
    url: `${laiyang.url}/reuse-queries`,
    method: 'POST',
    headers,
    body,
    connections: options.connections,
    overallRate: options.rate,
    duration: options.seconds,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`lab.reuse: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  }
  log(
    `lab.reuse: ${result.requests.total} queries in ${options.seconds} s (${round(result.requests.average)}/s offered ` +
      `${options.rate}/s); baseline ${baseline.count} selects; max ${result.latency.max} ms vs ${round(baseline.max)} ms`,
  );
  const p50 = { name: 'pg.lab.select.p50', value: round(baseline.p50, 2) };
  const p99 = { name: 'pg.lab.select.p99', value: round(baseline.p99, 2) };
  return [
    { ...p50, unit: 'ms' },
    { ...p99, unit: 'ms' },
    { name: 'lab.reuse.p50', value: result.latency.p50, unit: 'ms', baseline: p50 },
    { name: 'lab.reuse.p99', value: result.latency.p99, unit: 'ms', baseline: p99 },
  ];
}

/** Runs `run` at `rate` per second from `connections` concurrent workers; latency from each call's start. */
async function paced(options: LabReuseOptions, run: () => Promise<void>) {
  const latencies: number[] = [];
  const start = now();
  const end = start + options.seconds * 1000;
  let next = 0;
  const worker = async () => {
    for (;;) {
      const due = start + (next++ * 1000) / options.rate;
      if (due >= end) return;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
      const began = now();
      await run();
      latencies.push(now() - began);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  return {
    count: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
  };
}

/** Laixi's health-records publishes the consent as it does: a directed copy to each grantee and to its own region. */
async function grantConsent(health: Started, patient: string, names: Record<string, string>): Promise<void> {
  const data = {
    consentId: randomUUID(),
    patient,
    purpose: 'continuity-of-care' as const,
    grantees: [names.laiyang],
    validFrom: new Date(Date.now() - 365 * DAY_MS).toISOString(),
    grantedAt: new Date().toISOString(),
  };
  await health.app.get(DataSource).transaction((manager) =>
    health.app.get(BusPublisher).publishMany(
      manager,
      [names.laiyang, names.laixi].map((target) => ({
        type: HEALTH_CONSENT_GRANTED_V1,
        subject: patient,
        data,
        options: { target },
      })),
    ),
  );
}

function bearer(config: AppConfig, role: Principal['role'], org: string): string {
  return `Bearer ${signDevToken({ role, region: config.region, org, sub: `bench:${role}` }, config)}`;
}

/** A registry of this benchmark's own (`laixi-lab3fa9c2`), so its topics and databases are its alone. */
function writeRegistry(stack: BenchStack): Record<string, string> {
  const source = JSON.parse(readFileSync(join(stack.root, 'config', 'regions.three.json'), 'utf8')) as {
    regions: { name: string }[];
  };
  const names = { laixi: `laixi-lab${stack.runId}`, laiyang: `laiyang-lab${stack.runId}` };
  const regions = source.regions
    .filter((region) => region.name in names)
    .map((region) => ({ ...region, name: names[region.name as keyof typeof names] }));
  const dir = mkdtempSync(join(tmpdir(), 'shuanglai-bench-lab-'));
  stack.onStop('remove the lab benchmark registry', async () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'regions.json'), JSON.stringify({ regions }, null, 2));
  registryFiles.set(stack, join(dir, 'regions.json'));
  return names;
}

const registryFiles = new WeakMap<BenchStack, string>();

async function env(stack: BenchStack, names: Record<string, string>, base: string, service: ServiceName) {
  const name = names[base];
  return {
    REGION: name,
    REGIONS_FILE: registryFiles.get(stack)!,
    DATABASE_URL: withDatabase(stack.postgresUrl, databaseName(name, service, 'bench')),
    KAFKA_BROKERS: stack.kafkaBrokers,
    KAFKA_GROUP_PREFIX: `bench.${stack.runId}.`,
    PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    HEARTBEAT_INTERVAL_MS: '3600000',
    REGION_SIGNING_KEY: readFileSync(join(stack.root, 'config', 'dev-keys', `${base}.ed25519`), 'utf8').trim(),
  };
}

interface Started {
  app: Awaited<ReturnType<typeof startServiceApp>>;
  config: AppConfig;
}

async function startInProcess(
  stack: BenchStack,
  names: Record<string, string>,
  base: string,
  service: 'lab-results' | 'health-records',
): Promise<Started> {
  const config = loadConfig(service, await env(stack, names, base, service), stack.root);
  stack.onStop(`drop ${config.region}'s ${service} database`, () => dropDatabase(config.databaseUrl));
  const app = await startServiceApp(config, (c) =>
    service === 'lab-results' ? LabResultsAppModule.register(c) : HealthRecordsAppModule.register(c),
  );
  stack.onStop(`close ${config.region}'s ${service}`, () => app.close());
  return { app, config };
}

async function startProcess(stack: BenchStack, names: Record<string, string>, base: string, service: ServiceName) {
  const variables = await env(stack, names, base, service);
  const config = loadConfig(service, variables, stack.root);
  stack.onStop(`drop ${config.region}'s ${service} database`, () => dropDatabase(config.databaseUrl));
  const logFile = join(tmpdir(), `shuanglai-bench-${config.region}-${service}.log`);
  const child = new ServiceProcess(stack.root, service, variables, logFile);
  stack.onStop(`stop ${config.region}'s ${service} (pid ${child.pid})`, () => child.stop());
  await child.waitHealthy(120_000);
  log(`${service} of ${config.region} up in its own process (pid ${child.pid}); log ${logFile}`);
  return { config, url: child.url };
}
