import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import { residentIdCheckCharacter } from '@app/bus';
import { HEALTH_RECORD_REPLICATED_V1 } from '@app/contracts';
import { AppConfig, loadConfig } from '@app/config';
import { databaseName, dropDatabase, withDatabase } from '@app/database';
import { freePort } from '@app/embedded';
import { signDevToken } from '@app/http';
import { busLatency } from './bus-e2e';
import { fixedLoad } from './kafka-raw';
import { BenchResult } from './report';
import { ServiceProcess } from './region-process';
import { BenchStack } from './stack';
import { log, percentile, round, sleep, until } from './util';

export interface HealthBenchOptions {
  seconds: number;
  warmupSeconds: number;
  /** Offered load of the replication phase (HIS publishes per second) and of its bus baseline. */
  replicationRate: number;
  /** Offered load of the read phase (requests per second) and of its SELECT baseline. */
  readRate: number;
  /** Concurrent HTTP connections of the read phase. */
  connections: number;
  tickMs: number;
  patients: number;
}

/** Synthetic Laixi resident IDs (area 370285) with a correct check character; none belongs to a real person. */
function syntheticResidentIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const first17 = `3702851980${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (Math.floor(i / 12) % 28)).padStart(2, '0')}${String(Math.floor(i / 336) % 1000).padStart(3, '0')}`;
    return first17 + residentIdCheckCharacter(first17);
  });
}

/**
 * The health-records service of both regions, each in a process of its own: the benchmark publishes through Laixi's
 * HTTP API as a HIS would, reads through Laiyang's, and measures in their databases.
 */
class HealthStack {
  a!: RegionHealth;
  b!: RegionHealth;

  constructor(private readonly stack: BenchStack) {}

  async start(): Promise<void> {
    this.a = await this.startRegion('laixi', this.stack.a.name);
    this.b = await this.startRegion('laiyang', this.stack.b.name);
    log(
      `health-records up: ${this.a.config.region} in pid ${this.a.process.pid}, ${this.b.config.region} in pid ${this.b.process.pid}`,
    );
  }

  token(config: AppConfig, org: string): string {
    return signDevToken({ role: 'his', region: config.region, org, sub: `bench:${org}` }, config);
  }

  private async startRegion(base: string, name: string): Promise<RegionHealth> {
    const env = {
      ...this.stack.regionEnv(base, await freePort()),
      DATABASE_URL: withDatabase(this.stack.postgresUrl, databaseName(name, 'health-records', 'bench')),
    };
    const config = loadConfig('health-records', env, this.stack.root);
    this.stack.onStop(`drop ${config.region}'s health database`, () => dropDatabase(config.databaseUrl));
    const logFile = join(mkdtempSync(join(tmpdir(), 'shuanglai-bench-health-')), `${config.region}-health-records.log`);
    const service = new ServiceProcess(this.stack.root, 'health-records', env, logFile);
    this.stack.onStop(`stop ${config.region}'s health-records`, () => service.stop());
    await service.waitHealthy(120_000);
    // Few connections: the PostgreSQL server is shared (max_connections) with the services and other runs.
    const pool = new Pool({ connectionString: config.databaseUrl, max: 4, application_name: 'bench/health' });
    this.stack.onStop(`close the pool to ${config.region}'s health database`, () => pool.end());
    return { process: service, config, pool, url: service.url };
  }
}

/** One region's health-records service, in a process of its own as `npm start` runs it, and a pool to its database. */
interface RegionHealth {
  process: ServiceProcess;
  config: AppConfig;
  pool: Pool;
  url: string;
}

async function post(url: string, token: string, body: unknown): Promise<{ documentId?: string; consentId?: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { documentId?: string; consentId?: string };
}

/** Where replication spends its time: Laixi's outbox (commit → relay claim) and the bus to Laiyang's insert. */
async function stages(health: HealthStack, ids: string[]): Promise<string> {
  const { rows: relay } = await health.a.pool.query<{ p50: number; p99: number }>(
    `select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.99) within group (order by ms) as p99
       from (select extract(epoch from sent_at - created_at) * 1000 as ms from bus_outbox
              where type = $1 and payload::jsonb ->> 'documentId' = any($2::text[])) s`,
    [HEALTH_RECORD_REPLICATED_V1, ids],
  );
  return `Laixi outbox commit → relay claim p50 ${round(relay[0].p50)} / p99 ${round(relay[0].p99)} ms`;
}

let requests = 0;
function dischargeSummary(residentId: string) {
  return {
    requestId: `bench-${process.pid}-${++requests}`,
    residentId,
    kind: 'discharge-summary',
    typeCode: 'C0032',
    author: { name: 'Dr. Wang Li', role: 'attending physician' },
    hospital: 'Laixi People’s Hospital',
    encounterAt: '2026-11-20T09:30:00+08:00',
    body: {
      diagnosis: [{ code: 'I10', system: 'ICD-10', display: 'Essential hypertension' }],
      course: 'Admitted for blood-pressure control; discharged stable on amlodipine 5 mg daily.',
    },
  };
}

/**
 * `health.replication.p50/p99`: a HIS in Laixi publishes documents of consented patients at `replicationRate`/s
 * (open loop); each one's latency runs from the start of its POST in Laixi to its insert in Laiyang's
 * replica_document (received_at = clock_timestamp()). Baseline: the bus's own end-to-end latency (probes from A's
 * commit to B's inbox commit) at the same offered load, in the same run.
 * `health.read.p99`: autocannon reads Laiyang's copies at `readRate`/s through its HTTP API (each read audited and
 * reported to Laixi); baseline `pg.select.p99`: the same indexed SELECT by document id straight on Laiyang's
 * database at the same rate.
 */
export async function healthBenchmarks(stack: BenchStack, options: HealthBenchOptions): Promise<BenchResult[]> {
  const load = { rate: options.replicationRate, tickMs: options.tickMs };
  log(`health baseline: bus e2e latency at ${options.replicationRate}/s ...`);
  const bus = await busLatency(stack, {
    ...load,
    seconds: options.seconds,
    warmupSeconds: options.warmupSeconds,
    noteBytes: 300,
  });

  const health = new HealthStack(stack);
  await health.start();
  const hisA = health.token(health.a.config, 'laixi-people-hospital');
  const patients = syntheticResidentIds(options.patients);
  for (const residentId of patients) {
    await post(`${health.a.url}/consents`, hisA, { residentId, grantees: [health.b.config.region] });
  }
  await until(
    async () => {
      const { rows } = await health.b.pool.query<{ n: number }>('select count(*)::int as n from consent');
      return rows[0].n >= patients.length;
    },
    60_000,
    'consents applied in Laiyang',
    50,
  );

  const startedAt = new Map<string, number>();
  const postMs: number[] = [];
  let failed = 0;
  let firstFailure = '';
  const publish = async (measured: boolean, tick: number, count: number) => {
    for (let i = 0; i < count; i++) {
      const residentId = patients[(tick * count + i) % patients.length];
      const before = Date.now();
      try {
        const { documentId } = await post(`${health.a.url}/records`, hisA, dischargeSummary(residentId));
        if (measured) {
          startedAt.set(documentId!, before);
          postMs.push(Date.now() - before);
        }
      } catch (error) {
        // An overloaded Laixi refuses some publishes (its pool's wait ends at 5 s): counted, not measured.
        failed++;
        firstFailure ||= (error as Error).message;
      }
    }
  };
  log(`health.replication: ${options.replicationRate} publishes/s for ${options.seconds} s ...`);
  const loadStarted = Date.now();
  await fixedLoad(load, options.warmupSeconds, (tick, count) => publish(false, tick, count));
  await fixedLoad(load, options.seconds, (tick, count) => publish(true, tick, count));
  log(
    `health.replication: ${startedAt.size} publishes measured, ${failed} failed` +
      `${failed > 0 ? ` (first: ${firstFailure.slice(0, 200)})` : ''}; ` +
      `all answered after ${Math.round((Date.now() - loadStarted) / 1000)} s of ${options.warmupSeconds + options.seconds} s offered`,
  );
  if (startedAt.size === 0) throw new Error('health.replication: no publish succeeded');
  const ids = [...startedAt.keys()];
  let received = new Map<string, number>();
  await until(
    async () => {
      const { rows } = await health.b.pool.query<{ id: string; ms: string }>(
        `select document_id::text as id, extract(epoch from received_at) * 1000 as ms
           from replica_document where document_id = any($1::uuid[])`,
        [ids],
      );
      received = new Map(rows.map((row) => [row.id, Number(row.ms)]));
      return received.size === ids.length;
    },
    120_000,
    'documents replicated to Laiyang',
    200,
  );
  const replication = ids.map((id) => received.get(id)! - startedAt.get(id)!);
  log(
    `health.replication: ${ids.length} documents, max ${round(Math.max(...replication))} ms; ` +
      `HIS POST in Laixi p50 ${percentile(postMs, 50)} / p99 ${percentile(postMs, 99)} ms; ` +
      (await stages(health, ids)),
  );

  // Reads: Laiyang's clinicians read the copies by id, with a stated purpose.
  const hisB = health.token(health.b.config, 'laiyang-central-hospital');
  const paths = ids.slice(0, 2000).map((id) => `/shared-records/${id}?purpose=continuity-of-care`);
  let next = 0;
  log(`health.read: autocannon at ${options.readRate} requests/s, ${options.connections} connections ...`);
  await sleep(1000);
  const reads = await autocannon({
    url: health.b.url,
    connections: options.connections,
    overallRate: options.readRate,
    duration: options.seconds,
    headers: { authorization: `Bearer ${hisB}` },
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) }],
  });
  if (reads.non2xx > 0 || reads.errors > 0) {
    throw new Error(`health.read: ${reads.non2xx} non-2xx answers and ${reads.errors} errors`);
  }
  log(
    `health.read: ${reads.requests.total} reads, ${round(reads.requests.average)} req/s, ` +
      `p50 ${reads.latency.p50} ms, p99 ${reads.latency.p99} ms`,
  );

  const selects: number[] = [];
  const readLoad = { rate: options.readRate, tickMs: options.tickMs };
  await fixedLoad(readLoad, options.seconds, async (tick, count) => {
    for (let i = 0; i < count; i++) {
      const before = performance.now();
      await health.b.pool.query('select * from replica_document where document_id = $1', [
        ids[(tick * count + i) % ids.length],
      ]);
      selects.push(performance.now() - before);
    }
  });

  const busP50 = round(percentile(bus.latencies, 50));
  const busP99 = round(percentile(bus.latencies, 99));
  const selectP99 = round(percentile(selects, 99), 2);
  const baselineName = `bus.e2e.p%s@${options.replicationRate}rps`;
  return [
    { name: baselineName.replace('%s', '50'), value: busP50, unit: 'ms' },
    { name: baselineName.replace('%s', '99'), value: busP99, unit: 'ms' },
    {
      name: 'health.replication.p50',
      value: round(percentile(replication, 50)),
      unit: 'ms',
      baseline: { name: baselineName.replace('%s', '50'), value: busP50 },
    },
    {
      name: 'health.replication.p99',
      value: round(percentile(replication, 99)),
      unit: 'ms',
      baseline: { name: baselineName.replace('%s', '99'), value: busP99 },
    },
    { name: 'pg.select.p99', value: selectP99, unit: 'ms' },
    {
      name: 'health.read.p99',
      value: reads.latency.p99,
      unit: 'ms',
      baseline: { name: 'pg.select.p99', value: selectP99 },
    },
    // The p99 counts only at the offered rate: a service that answers fewer requests has a flattering p99.
    {
      name: 'health.read.rate',
      value: round(reads.requests.average),
      unit: 'requests/s',
      baseline: { name: 'health.read.offered', value: options.readRate },
    },
  ];
}
