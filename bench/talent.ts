import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { Pseudonymizer, residentIdCheckCharacter } from '@app/bus';
import { AppConfig } from '@app/config';
import { freePort } from '@app/embedded';
import { signDevToken } from '@app/http';
import { BenchResult } from './report';
import { BenchStack } from './stack';
import { log, now, percentile, round, sleep, until } from './util';

export interface TalentBenchOptions {
  /** Certified people in the status query's table. */
  people: number;
  /** Seconds of load per concurrency step of the status query. */
  stepSeconds: number;
  /** Concurrent connections tried, in order; throughput is the best step whose p99 stays under `p99BudgetMs`. */
  connections: number[];
  p99BudgetMs: number;
  /** Concurrency of the p99 figures (the same for the service and its baseline). */
  p99Connections: number;
  /** Rounds of simultaneous claims (one in each city), and rounds started per second. */
  claimRounds: number;
  claimRate: number;
}

interface LoadStep {
  connections: number;
  perSecond: number;
  p99: number;
  errors: number;
}

/**
 * Synthetic resident IDs (Laixi's area code), as many as needed, none a real person's: birth dates walk through
 * 1960–1999 and a 3-digit sequence number tells apart people born on one day.
 */
function residentIds(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = offset + i;
    const day = new Date(Date.UTC(1960, 0, 1) + (n % 14_600) * 86_400_000).toISOString().slice(0, 10);
    const first17 = `370285${day.replaceAll('-', '')}${String(Math.floor(n / 14_600) % 1000).padStart(3, '0')}`;
    return first17 + residentIdCheckCharacter(first17);
  });
}

/**
 * Writes `ids` straight into region B's projection as certifications issued by region A (SQL, not the API: the
 * benchmark measures queries, not 100,000 certifications travelling the bus).
 */
async function seed(databaseUrl: string, origin: string, pseudonyms: Pseudonymizer, ids: string[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench/talent-seed' });
  await client.connect();
  try {
    for (let start = 0; start < ids.length; start += 10_000) {
      const people = ids.slice(start, start + 10_000).map((id) => pseudonyms.of(id));
      await client.query(
        `insert into talent_certification (certification_id, person, origin, tier, field, issuing_bureau, valid_from,
                                           valid_until, status, certified_at, version)
         select gen_random_uuid(), person, $2, (array['A','B','C','D'])[1 + (ordinality % 4)], 'seeded',
                'bench bureau', date '2020-01-01', date '2099-12-31', 'active',
                now() - (ordinality % 700) * interval '1 day', 1
           from unnest($1::text[]) with ordinality as p(person, ordinality)`,
        [people, origin],
      );
    }
    await client.query('analyze talent_certification');
  } finally {
    await client.end();
  }
}

/** Steps of autocannon load on POST `url` with a random seeded person each request; stops past the p99 budget. */
async function loadSteps(
  url: string,
  headers: Record<string, string>,
  ids: string[],
  options: TalentBenchOptions,
  connections: number[],
): Promise<LoadStep[]> {
  const steps: LoadStep[] = [];
  for (const count of connections) {
    const result = await autocannon({
      url,
      method: 'POST',
      connections: count,
      duration: options.stepSeconds,
      headers: { 'content-type': 'application/json', ...headers },
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({
              residentId: ids[Math.floor(Math.random() * ids.length)],
              purpose: 'benchmark of the status query',
            }),
          }),
        },
      ],
    });
    const step = {
      connections: count,
      perSecond: Math.round(result.requests.total / options.stepSeconds),
      p99: result.latency.p99,
      errors: result.errors + result.non2xx + result.timeouts,
    };
    log(`  ${url}: ${count} connections: ${step.perSecond} requests/s, p99 ${step.p99} ms, errors ${step.errors}`);
    if (step.errors > 0) throw new Error(`${url} answered ${step.errors} requests with errors`);
    steps.push(step);
    if (step.p99 > options.p99BudgetMs * 4) break;
  }
  return steps;
}

function best(steps: LoadStep[], budgetMs: number): number {
  return Math.max(0, ...steps.filter((step) => step.p99 < budgetMs).map((step) => step.perSecond));
}

/** The baseline's HTTP server in a process of its own, on B's database. */
async function startBaseline(
  root: string,
  databaseUrl: string,
  secret: string,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'dist', 'bench', 'talent-baseline-server.js')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), PSEUDONYM_SECRET: secret },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = `http://127.0.0.1:${port}/status`;
  await until(
    async () => {
      try {
        const response = await fetch(url, { method: 'POST', body: JSON.stringify({ residentId: residentIds(1)[0] }) });
        return response.status === 200;
      } catch {
        return false;
      }
    },
    30_000,
    'the baseline server answers',
    100,
  );
  return { url, child };
}

/**
 * Status query: region B's service (its own process) against 100,000 certified people, full answers for an HR
 * bureau and hit/no-hit answers for other roles (both audited), beside a bare HTTP server running the same indexed
 * SELECT on the same database.
 */
export async function statusQueryBench(stack: BenchStack, options: TalentBenchOptions): Promise<BenchResult[]> {
  const b = stack.b.config;
  const pseudonyms = new Pseudonymizer(b.pseudonymSecret);
  const ids = residentIds(options.people);
  const started = now();
  await seed(b.databaseUrl, stack.a.name, pseudonyms, ids);
  log(`seeded ${ids.length} certified people into ${b.region} in ${Math.round(now() - started)} ms`);

  const baseline = await startBaseline(stack.root, b.databaseUrl, b.pseudonymSecret);
  try {
    const levels = [...new Set([options.p99Connections, ...options.connections])].sort((x, y) => x - y);
    log('baseline: plain indexed SELECT over HTTP');
    const base = await loadSteps(baseline.url, {}, ids, options, levels);
    const steps = (role: 'hr-bureau' | 'police-unit') => {
      log(`talent status query of ${b.region} as ${role}`);
      const token = signDevToken({ role, region: b.region, org: 'bench-bureau', sub: 'bench' }, b);
      return loadSteps(
        `${stack.b.process.url}/talent/status`,
        { authorization: `Bearer ${token}` },
        ids,
        options,
        levels,
      );
    };
    // The full answer and the hit/no-hit answer of other roles, each read and audited in one group-committed transaction.
    const talent = await steps('hr-bureau');
    const hits = await steps('police-unit');
    const p99At = (steps: LoadStep[]) => steps.find((step) => step.connections === options.p99Connections)?.p99 ?? NaN;
    const baseThroughput = { name: 'http.pg.select.throughput', value: best(base, options.p99BudgetMs) };
    const baseP99 = { name: 'http.pg.select.p99', value: p99At(base) };
    return [
      { ...baseThroughput, unit: 'requests/s' },
      { ...baseP99, unit: 'ms' },
      {
        name: 'talent.status.throughput',
        value: best(talent, options.p99BudgetMs),
        unit: 'requests/s',
        baseline: baseThroughput,
      },
      { name: 'talent.status.p99', value: p99At(talent), unit: 'ms', baseline: baseP99 },
      {
        name: 'talent.status.hit.throughput',
        value: best(hits, options.p99BudgetMs),
        unit: 'requests/s',
        baseline: baseThroughput,
      },
      { name: 'talent.status.hit.p99', value: p99At(hits), unit: 'ms', baseline: baseP99 },
    ];
  } finally {
    baseline.child.kill('SIGTERM');
  }
}

async function post(url: string, config: AppConfig, body: object): Promise<{ status: number; json: unknown }> {
  const token = signDevToken({ role: 'hr-bureau', region: config.region, org: 'bench-bureau', sub: 'bench' }, config);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/**
 * Exclusive claims across the two cities: people certified by A (laixi, this process), each claimed at the same
 * moment in A and in B (its own process). B's claim travels to A, is arbitrated there and answered: its latency is
 * B's decided_at − requested_at (both B's clock). Beside it, the one-way latency of delivery probes A → B sent at
 * the same pace in the same run: a claim is two such hops plus the arbitration.
 */
export async function claimBench(stack: BenchStack, options: TalentBenchOptions): Promise<BenchResult[]> {
  const a = stack.a.config;
  const b = stack.b.config;
  // After the people the status query seeds into B only: A certifies these itself.
  const ids = residentIds(options.claimRounds, options.people);
  for (const id of ids) {
    const certified = await post(`http://127.0.0.1:${a.port}/talent/certifications`, a, {
      residentId: id,
      tier: 'B',
      field: 'benchmark',
      issuingBureau: 'bench bureau',
      validFrom: '2020-01-01',
      validUntil: '2099-12-31',
    });
    if (certified.status !== 201)
      throw new Error(`certify answered ${certified.status}: ${JSON.stringify(certified.json)}`);
  }
  const client = new Client({ connectionString: b.databaseUrl, application_name: 'bench/talent-claims' });
  await client.connect();
  try {
    const people = ids.map((id) => new Pseudonymizer(b.pseudonymSecret).of(id));
    await until(
      async () => {
        const { rows } = await client.query<{ n: number }>(
          'select count(*)::int as n from talent_certification where person = any($1)',
          [people],
        );
        return rows[0].n === people.length;
      },
      60_000,
      'certifications projected in B',
      50,
    );

    // Baseline: probes A → B at the claims' pace.
    const stream = `talent-bench-${randomUUID()}`;
    const gap = 1000 / options.claimRate;
    for (let n = 1; n <= options.claimRounds; n++) {
      await stack.a.dataSource.transaction((manager) =>
        stack.a.publisher.publish(manager, 'cn.shuanglai.bus.probe.v1', `probe/${stream}`, {
          probeId: randomUUID(),
          stream,
          n,
        }),
      );
      await sleep(gap);
    }
    await until(async () => (await stack.b.probes.count([stream])) === options.claimRounds, 60_000, 'probes in B', 50);
    const { rows: probeRows } = await client.query<{ ms: number }>(
      `select extract(epoch from applied_at - sent_at) * 1000 as ms from bus_probe where stream = $1`,
      [stream],
    );
    const probeMs = probeRows.map((row) => Number(row.ms));

    const claims: Promise<{ status: number; json: unknown }>[] = [];
    for (const id of ids) {
      claims.push(
        post(`http://127.0.0.1:${a.port}/talent/claims`, a, { residentId: id, benefitCode: 'settling-in-allowance' }),
      );
      claims.push(
        post(`${stack.b.process.url}/talent/claims`, b, { residentId: id, benefitCode: 'settling-in-allowance' }),
      );
      await sleep(gap);
    }
    const answers = await Promise.all(claims);
    const failed = answers.find((answer) => answer.status >= 300 && answer.status !== 202);
    if (failed) throw new Error(`a claim answered ${failed.status}: ${JSON.stringify(failed.json)}`);
    await until(
      async () => {
        const { rows } = await client.query<{ n: number }>(
          `select count(*)::int as n from talent_claim where person = any($1) and status <> 'pending'`,
          [people],
        );
        return rows[0].n === people.length;
      },
      120_000,
      "B's claims answered",
      50,
    );
    const { rows } = await client.query<{ ms: number; status: string }>(
      `select extract(epoch from decided_at - requested_at) * 1000 as ms, status from talent_claim
        where person = any($1)`,
      [people],
    );
    const claimMs = rows.map((row) => Number(row.ms));
    // Where the time goes: B's claim to A's decision, and A's decision to B applying it (one machine, one clock).
    const hops = await stack.a.dataSource.query<{ claim_id: string; decided_at: Date }[]>(
      'select claim_id, decided_at from talent_claim_decision where person = any($1)',
      [people],
    );
    const { rows: bClaims } = await client.query<{ claim_id: string; requested_at: Date; decided_at: Date }>(
      'select claim_id, requested_at, decided_at from talent_claim where person = any($1)',
      [people],
    );
    const decidedInA = new Map(hops.map((row) => [row.claim_id, row.decided_at.getTime()]));
    const there = bClaims.map((row) => decidedInA.get(row.claim_id)! - row.requested_at.getTime());
    const back = bClaims.map((row) => row.decided_at.getTime() - decidedInA.get(row.claim_id)!);
    log(
      `claim hops: B → A decided p50 ${percentile(there, 50)} ms, p99 ${percentile(there, 99)} ms; ` +
        `A → B applied p50 ${percentile(back, 50)} ms, p99 ${percentile(back, 99)} ms`,
    );
    const grantedInB = rows.filter((row) => row.status === 'granted').length;
    const grantedInA = answers.filter(
      (answer, i) => i % 2 === 0 && (answer.json as { status: string }).status === 'granted',
    ).length;
    log(`claims: ${grantedInA} granted in ${a.region}, ${grantedInB} in ${b.region}, of ${ids.length} rounds`);
    if (grantedInA + grantedInB !== ids.length) throw new Error('not exactly one grant per round');

    const figure = (sample: number[], p: number) => round(percentile(sample, p), 1);
    const probeP50 = { name: 'bus.probe.p50', value: figure(probeMs, 50) };
    const probeP99 = { name: 'bus.probe.p99', value: figure(probeMs, 99) };
    return [
      { ...probeP50, unit: 'ms' },
      { ...probeP99, unit: 'ms' },
      { name: 'talent.claim.p50', value: figure(claimMs, 50), unit: 'ms', baseline: probeP50 },
      { name: 'talent.claim.p99', value: figure(claimMs, 99), unit: 'ms', baseline: probeP99 },
    ];
  } finally {
    await client.end();
  }
}
