import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@app/config';
import { databaseName, dropDatabase, withDatabase } from '@app/database';
import { freePort } from '@app/embedded';
import { signDevToken } from '@app/http';
import { SseClient } from '@app/testing';
import { busLatency } from './bus-e2e';
import { fixedLoad } from './kafka-raw';
import { BenchResult } from './report';
import { ServiceProcess } from './region-process';
import { BenchStack } from './stack';
import { log, now, percentile, procStatusMb, round, sleep, until } from './util';

export interface PoliceSseOptions {
  /** Open streams, split evenly between the two cities. */
  subscribers: number;
  /** Alerts raised per second, alternately in each city. */
  rate: number;
  seconds: number;
  warmupSeconds: number;
  /** Also measure alerts naming persons, whose deliveries to the other city are reported home. */
  persons?: boolean;
}

/** Synthetic resident IDs (libs/testing/fixtures/resident-ids.json): only their pseudonyms leave the raising POST. */
const PERSONS = ['370285196205237809', '370285196908126873'];

const ZONES = Array.from({ length: 10 }, (_, i) => `BZ-${String(i + 1).padStart(2, '0')}`);

interface PoliceNode {
  base: string;
  service: ServiceProcess;
  url: string;
  token(unit: string): string;
}

/** Starts region `base`'s police service as `npm start` does, in a process of its own (so its RSS is its own). */
async function startPolice(stack: BenchStack, base: string, name: string): Promise<PoliceNode> {
  const env = {
    ...stack.regionEnv(base, await freePort()),
    DATABASE_URL: withDatabase(stack.postgresUrl, databaseName(name, 'police', 'bench')),
  };
  const config = loadConfig('police', env, stack.root);
  const logDir = mkdtempSync(join(tmpdir(), 'shuanglai-bench-police-'));
  stack.onStop(`drop ${name}'s police database`, () => dropDatabase(config.databaseUrl));
  const service = new ServiceProcess(stack.root, 'police', env, join(logDir, `${name}-police.log`));
  stack.onStop(`stop ${name}'s police service (pid ${service.pid})`, () => service.stop());
  await service.waitHealthy(120_000);
  log(`police of ${name} up in its own process (pid ${service.pid}) on port ${config.port}`);
  return {
    base,
    service,
    url: service.url,
    token: (unit) => signDevToken({ role: 'police-unit', region: name, org: unit, sub: `bench:${unit}` }, config),
  };
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

async function post(url: string, token: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${url}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * `police.sse.*`: `subscribers` units across both cities each subscribe to one of ten boundary zones and hold an
 * SSE stream open; alerts are raised at a steady rate, alternately in each city, each in one zone, so it must
 * reach the tenth of the streams (in both cities) that watch its zone. Latency is from just before the raising
 * POST to the event's arrival on each matching stream, both read on this process's clock. RSS is that of the two
 * police processes holding the streams, beside their RSS when idle (started, no stream open).
 */
export async function policeSse(stack: BenchStack, options: PoliceSseOptions): Promise<BenchResult[]> {
  const nodes = [await startPolice(stack, 'laixi', stack.a.name), await startPolice(stack, 'laiyang', stack.b.name)];
  await sleep(3000);
  const idleRss = nodes.reduce((sum, node) => sum + procStatusMb(node.service.pid, 'VmRSS'), 0);

  const units = Array.from({ length: options.subscribers }, (_, i) => ({
    node: nodes[i % 2],
    unit: `bench-unit-${i}`,
    zone: ZONES[Math.floor(i / 2) % ZONES.length],
  }));
  await inBatches(units, 25, async ({ node, unit, zone }) => {
    await post(`${node.url}/subscriptions`, node.token(unit), { zones: [zone] });
  });

  const sentAt = new Map<string, number>();
  const expected = new Map<string, number>();
  /** Arrival times by alert, kept whether or not the raising POST has answered yet. */
  const arrivals = new Map<string, number[]>();
  let unexpected = 0;
  const streams: SseClient[] = [];
  stack.onStop('close the SSE streams', async () => streams.forEach((stream) => stream.close()));
  await inBatches(units, 50, async ({ node, unit, zone }) => {
    const stream = new SseClient(`${node.url}/alerts/stream`, node.token(unit), undefined, (event) => {
      const at = now();
      const { alert } = JSON.parse(event.data) as { alert: { alertId: string; location: { zone: string } } };
      if (alert.location.zone !== zone) unexpected++;
      const times = arrivals.get(alert.alertId) ?? [];
      times.push(at);
      arrivals.set(alert.alertId, times);
    });
    await stream.open();
    if (stream.status !== 200) throw new Error(`stream of ${unit}: HTTP ${stream.status}`);
    streams.push(stream);
  });
  const perZone = new Map<string, number>();
  for (const { zone } of units) perZone.set(zone, (perZone.get(zone) ?? 0) + 1);
  log(`police: ${streams.length} SSE streams open (${units.length / 2} per city), ${perZone.get(ZONES[0])} per zone`);

  let raised = 0;
  const rssPeak = { mb: 0, perProcess: nodes.map(() => 0) };
  const rssTimer = setInterval(() => {
    const each = nodes.map((n) => procStatusMb(n.service.pid, 'VmRSS'));
    rssPeak.perProcess = rssPeak.perProcess.map((peak, i) => Math.max(peak, each[i]));
    rssPeak.mb = Math.max(rssPeak.mb, each[0] + each[1]);
  }, 200);
  /** Alerts naming persons: every delivery of one to a unit of the other city is reported home. */
  const named = new Set<string>();
  const raise = async (measured: boolean) => {
    const k = raised++;
    const node = nodes[k % 2];
    const zone = ZONES[k % ZONES.length];
    // Every other pair of alerts names two persons, so both kinds are raised in both cities, under the same load.
    const persons = options.persons && Math.floor(k / 2) % 2 === 1 ? PERSONS : [];
    const started = now();
    const alert = (await post(`${node.url}/alerts`, node.token(`bench-raiser-${node.base}`), {
      area: 'joint-duty',
      severity: 'P3',
      location: { lat: 36.9, lon: 120.6, zone },
      description: `Benchmark alert ${k}: vehicle seen crossing the boundary road`,
      actionRequested: 'Check the crossing',
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      ...(persons.length > 0 && { personResidentIds: persons }),
    })) as { alertId: string };
    if (!measured) return;
    // Delivery may beat the POST's answer: the arrival handler looks the alert up by id, so record both ends here.
    sentAt.set(alert.alertId, started);
    expected.set(alert.alertId, perZone.get(zone) ?? 0);
    if (persons.length > 0) named.add(alert.alertId);
  };
  const tickMs = Math.max(1, Math.round(1000 / options.rate));
  await fixedLoad({ rate: options.rate, tickMs }, options.warmupSeconds, () => raise(false));
  await sleep(1000);
  await fixedLoad({ rate: options.rate, tickMs }, options.seconds, () => raise(true));
  const total = [...expected.values()].reduce((sum, n) => sum + n, 0);
  const received = () => [...expected.keys()].reduce((sum, id) => sum + (arrivals.get(id)?.length ?? 0), 0);
  await until(() => received() >= total, 60_000, `${total} deliveries on the matching streams`, 50);
  clearInterval(rssTimer);
  /** Each matching stream's delay for the alerts of one kind, and each alert's slowest. */
  const delays = (naming: boolean) => {
    const deliveries: number[] = [];
    const perAlert: number[] = [];
    for (const [alertId, sent] of sentAt) {
      if (named.has(alertId) !== naming) continue;
      const each = arrivals.get(alertId)!.map((at) => at - sent);
      deliveries.push(...each);
      perAlert.push(Math.max(...each));
    }
    const label = naming ? ' naming persons (each delivery to the other city reported home)' : '';
    log(
      `police: ${perAlert.length} alerts${label}, ${deliveries.length} deliveries; time until every matching stream ` +
        `had an alert: p50 ${round(percentile(perAlert, 50))} ms, p99 ${round(percentile(perAlert, 99))} ms`,
    );
    return deliveries;
  };
  const deliveries = delays(false);
  const reported = options.persons ? delays(true) : undefined;

  if (unexpected > 0) throw new Error(`${unexpected} events reached streams that do not match them`);
  const dropped = streams.filter((s) => s.closed).length;
  if (dropped > 0) throw new Error(`${dropped} streams were closed during the run`);
  log(
    `police: RSS idle ${round(idleRss)} MiB, with ${streams.length} streams ${round(rssPeak.mb)} MiB (both processes; ` +
      `peaks ${rssPeak.perProcess.map((mb) => round(mb)).join(' and ')} MiB with ${streams.length / 2} streams each)`,
  );

  // The baseline: the bus's own delivery latency between the same two regions at the same rate, in the same run.
  const bus = await busLatency(stack, {
    rate: options.rate,
    tickMs,
    seconds: options.seconds,
    warmupSeconds: options.warmupSeconds,
    noteBytes: 300,
  });
  for (const stream of streams) stream.close();
  const figure = (sample: number[], p: number) => round(percentile(sample, p), 1);
  const reportedFigures: BenchResult[] = reported
    ? ([50, 99] as const).map((p) => ({
        name: `police.sse.reported.p${p}`,
        value: figure(reported, p),
        unit: 'ms',
        baseline: { name: `police.sse.p${p}`, value: figure(deliveries, p) },
      }))
    : [];
  return [
    ...reportedFigures,
    { name: 'police.baseline.bus.p50', value: figure(bus.latencies, 50), unit: 'ms' },
    { name: 'police.baseline.bus.p99', value: figure(bus.latencies, 99), unit: 'ms' },
    { name: 'police.baseline.bus.max', value: figure(bus.latencies, 100), unit: 'ms' },
    { name: 'police.rss.idle', value: round(idleRss), unit: 'MiB' },
    {
      name: 'police.sse.p50',
      value: figure(deliveries, 50),
      unit: 'ms',
      baseline: { name: 'police.baseline.bus.p50', value: figure(bus.latencies, 50) },
    },
    {
      name: 'police.sse.p99',
      value: figure(deliveries, 99),
      unit: 'ms',
      baseline: { name: 'police.baseline.bus.p99', value: figure(bus.latencies, 99) },
    },
    {
      name: 'police.sse.max',
      value: figure(deliveries, 100),
      unit: 'ms',
      baseline: { name: 'police.baseline.bus.max', value: figure(bus.latencies, 100) },
    },
    {
      name: 'police.sse.rss',
      value: round(rssPeak.mb),
      unit: 'MiB',
      baseline: { name: 'police.rss.idle', value: round(idleRss) },
    },
  ];
}
