import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Browser, Page, chromium } from 'playwright-core';
import { DataSource } from 'typeorm';
import { ConsoleConfig, loadConsoleConfig } from '../apps/console/src/console.config';
import { RunningConsole, startConsoleApp } from '../apps/console/src/console.app';
import { HealthRecordsAppModule } from '../apps/health-records/src/app.module';
import { LabResultsAppModule } from '../apps/lab-results/src/app.module';
import { LedgerAppModule } from '../apps/ledger/src/app.module';
import { PoliceAppModule } from '../apps/police/src/app.module';
import { TalentAppModule } from '../apps/talent/src/app.module';
import { affairsModule } from '../apps/affairs/test/affairs-fixtures';
import { devTokens } from '../scripts/demo/demo-client';
import { runDemo } from '../scripts/demo/demo-scenario';
import { EventSigner, ProbeService, buildEnvelope, eventSource, sign } from '@app/bus';
import { devJwtKey } from '@app/config';
import { PROBE_V1, RegionRegistry, SERVICE_NAMES, ServiceName, domainTopic } from '@app/contracts';
import { AppModuleFactory } from '@app/platform';
import { freePort, repoRoot } from '@app/embedded';
import {
  TestRegions,
  TestService,
  eventually,
  scanBrokerForClearIdentifiers,
  startTestServices,
  systemChromium,
  testInfra,
  testRegions,
  testToken,
} from '@app/testing';

/** Each service's module in the test's regions (affairs with its catalogue and keys for the renamed regions). */
const modules = (regions: TestRegions): Record<ServiceName, AppModuleFactory> => ({
  'health-records': (config) => HealthRecordsAppModule.register(config),
  'lab-results': (config) => LabResultsAppModule.register(config),
  talent: (config) => TalentAppModule.register(config),
  police: (config) => PoliceAppModule.register(config),
  affairs: affairsModule(regions),
  ledger: (config) => LedgerAppModule.register(config),
});

const devKey = (region: string) =>
  readFileSync(join(repoRoot(), 'config', 'dev-keys', `${region}.ed25519`), 'utf8').trim();

/** Screenshots for a person to look at, when CONSOLE_SCREENSHOTS names a folder. */
async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.CONSOLE_SCREENSHOTS;
  if (!folder) return;
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}

/** One stack of both cities for the console's browser test and for `npm run demo`, run last under its eyes. */
describe('the operator console in a browser', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  const { laixi, laiyang } = regions.names;
  const services: Awaited<ReturnType<typeof startTestServices>>[] = [];
  let talent: Record<string, TestService>;
  let console: RunningConsole;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const executablePath = systemChromium();
    for (const service of SERVICE_NAMES) {
      services.push(
        await startTestServices({
          service,
          regions,
          appModule: modules(regions)[service],
          env: { HEARTBEAT_INTERVAL_MS: '60000' },
        }),
      );
    }
    talent = services[SERVICE_NAMES.indexOf('talent')];
    console = await startConsoleApp(
      new ConsoleConfig({
        ...loadConsoleConfig(
          { PORT: String(await freePort()), REGIONS_FILE: regions.file, CONSOLE_REGION: laixi, NODE_ENV: 'test' },
          repoRoot(),
        ),
        targets: services.flatMap((byRegion) =>
          ['laixi', 'laiyang'].map((base) => {
            const { config, url } = byRegion[base];
            return { region: config.region, service: config.service, url };
          }),
        ),
        kafkaBrokers: [testInfra().kafkaBrokers],
        kafkaGroupId: `console-test-${randomUUID()}`,
        pollIntervalMs: 500,
      }),
      { logLevel: 'warn' },
    );
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // The operator logs in with an operator token of the console's region, as `npm start` prints them.
    await page.goto(console.url);
    await page.fill('#token', testToken(talent.laixi.config, 'operator'));
    await page.click('#login button[type=submit]');
    await page.locator('#board').waitFor();
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await console?.close();
    await Promise.all(services.map((byRegion) => byRegion.close()));
  });

  it('shows every service of both cities healthy', async () => {
    for (const region of [laixi, laiyang]) {
      for (const service of SERVICE_NAMES) {
        await page.locator(`[data-node="${region}/${service}"][data-healthy="true"]`).waitFor({ timeout: 30_000 });
      }
    }
    await expect(page.locator('#summary').textContent()).resolves.toContain(
      `All ${2 * SERVICE_NAMES.length} services healthy`,
    );
    await expect(page.locator('td.cell[data-healthy="false"]').count()).resolves.toBe(0);
    await expect(page.locator('#grid').textContent()).resolves.toMatch(/audit ✓ 0 entries/);
    await expect(fetch(`${console.url}/health`).then((response) => response.status)).resolves.toBe(200);
  });

  it('shows events crossing the line: in the feed, on the peer topic and complete at the receiver', async () => {
    await talent.laixi.app.get(ProbeService).send(3, 'console');
    const topic = domainTopic(laixi, 'talent');
    const link = page.locator(`[data-link="${topic}>${laiyang}/talent"]`);
    await eventually(async () => ((await link.locator('td').nth(3).textContent()) === '3' ? true : undefined));
    await expect(link.locator('td').nth(2).textContent()).resolves.toBe('3');
    const stream = page.locator(`[data-stream="${topic}>${laiyang}/talent"]`);
    await expect(stream.textContent()).resolves.toContain('complete');
    await page.locator('[data-feed-item]', { hasText: 'cn.shuanglai.bus.probe.v1' }).first().waitFor();
    await expect(page.locator('[data-feed-item]').count()).resolves.toBeGreaterThanOrEqual(3);
    await expect(page.locator('#feed').textContent()).resolves.toContain(`${laixi} → all peers`);

    // A directed event (meant for laixi alone) shows its target.
    await talent.laiyang.app.get(ProbeService).send(1, 'console-directed', undefined, laixi);
    await page.locator('[data-feed-item]', { hasText: `${laiyang} → ${laixi}` }).waitFor({ timeout: 30_000 });
  });

  /** A message on laixi's talent topic, written by hand: forged (signed with laiyang's key) or properly signed. */
  function message(options: { seq: number; probeId: string; signedBy: 'laixi' | 'laiyang' }) {
    const { headers, payload } = buildEnvelope({
      id: randomUUID(),
      type: PROBE_V1,
      source: eventSource(laixi, 'talent'),
      region: laixi,
      subject: 'probe/console',
      data: { probeId: options.probeId, stream: 'console-poison', n: options.seq },
    });
    const signer = new EventSigner(devKey(options.signedBy));
    // A forger names laixi's key (kid), whatever key it signs with.
    const sig = sign(signer, headers, payload, String(options.seq)).replace(
      signer.kid,
      new EventSigner(devKey('laixi')).kid,
    );
    return { key: 'probe/console', value: payload, headers: { ...headers, ce_seq: String(options.seq), ce_sig: sig } };
  }

  async function inject(messages: ReturnType<typeof message>[]): Promise<void> {
    const producer = new Kafka({ brokers: [testInfra().kafkaBrokers], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: domainTopic(laixi, 'talent'), messages });
    await producer.disconnect();
  }

  it('shows a forged event as a dead letter with its reason, and keeps it dead when replayed from the page', async () => {
    await inject([message({ seq: 4, probeId: randomUUID(), signedBy: 'laiyang' })]);

    const row = page.locator('[data-dead-letter]', { hasText: 'BUS.BAD_SIGNATURE' });
    await row.waitFor({ timeout: 30_000 });
    await expect(row.textContent()).resolves.toContain('not signed by origin');
    await expect(page.locator('#summary').textContent()).resolves.toContain('1 dead letter');
    await expect(page.locator(`[data-node="${laiyang}/talent"]`).textContent()).resolves.toContain('dead letters 1');
    // The feed saw it cross too, and flags it as the receiver will.
    await page.locator('[data-feed-item]', { hasText: 'BUS.BAD_SIGNATURE' }).waitFor();
    await screenshot(page, 'console-dead-letter');

    await row.locator('button.replay').click();
    const result = row.locator('[data-replay-result]');
    await result.waitFor();
    await expect(result.textContent()).resolves.toMatch(/^still dead: BUS\.BAD_SIGNATURE/);
    await expect(page.locator('#actions').textContent()).resolves.toContain('still dead: BUS.BAD_SIGNATURE');
    // Still listed: a forged event never becomes applicable, however often it is replayed.
    await page.waitForTimeout(1500);
    await expect(page.locator('[data-dead-letter]', { hasText: 'BUS.BAD_SIGNATURE' }).count()).resolves.toBe(1);
  });

  it('names a gap, and replays from the page a dead letter whose cause the operator removed', async () => {
    // Two events of laixi's with the same probe id: the second one's handler fails every time (dead-lettered
    // after its retries). Nothing of laixi's has seq 4 or 5 (the forged seq 4 does not count): a gap to name.
    const probeId = randomUUID();
    await inject([message({ seq: 6, probeId, signedBy: 'laixi' }), message({ seq: 7, probeId, signedBy: 'laixi' })]);

    const row = page.locator('[data-dead-letter]', { hasText: 'BUS.HANDLER_FAILED' });
    await row.waitFor({ timeout: 30_000 });
    const topic = domainTopic(laixi, 'talent');
    const stream = page.locator(`[data-stream="${topic}>${laiyang}/talent"]`);
    await eventually(async () => ((await stream.textContent())?.includes('missing #4–5') ? true : undefined));
    await expect(stream.textContent()).resolves.toContain('missing #4–5');
    await expect(page.locator('#summary').textContent()).resolves.toContain(`gaps in ${topic} at ${laiyang}`);
    await screenshot(page, 'console-gap');

    // The operator removes what the handler collided with, then replays from the page.
    await talent.laiyang.app.get(DataSource).query('delete from bus_probe where probe_id = $1', [probeId]);
    await row.locator('button.replay').click();
    await page.locator('#actions div', { hasText: 'replayed: applied' }).waitFor({ timeout: 10_000 });
    await page.locator('[data-dead-letter]', { hasText: 'BUS.HANDLER_FAILED' }).waitFor({ state: 'detached' });
    await expect(page.locator('[data-dead-letter]').count()).resolves.toBe(1);
    await screenshot(page, 'console-replayed');
  });

  // Needs all four services' APIs: on a branch without one of them, the steps using it are reported MISSING.
  it('watches `npm run demo` play the whole scenario through the HTTP APIs, without a dead letter', async () => {
    const registry = RegionRegistry.fromFile(regions.file);
    const urls = new Map(
      services.flatMap((byRegion) =>
        ['laixi', 'laiyang'].map((base) => [
          `${byRegion[base].config.region}/${byRegion[base].config.service}`,
          byRegion[base].url,
        ]),
      ),
    );
    const lines: string[] = [];
    const report = await runDemo(
      {
        registry,
        urlOf: (region, service) => urls.get(`${region}/${service}`)!,
        tokenOf: devTokens(registry, devJwtKey({})),
        log: (line) => lines.push(line),
      },
      { a: laixi, b: laiyang },
    );
    const output = lines.join('\n');
    if (process.env.DEMO_VERBOSE) process.stderr.write(`${output}\n`);
    // The whole printout on failure: what each step did and why one did not.
    expect(output).not.toMatch(/^\s+(FAILED|MISSING|SKIPPED):/m);
    expect(report.steps.map((step) => step.outcome)).toEqual(report.steps.map(() => 'done'));
    expect(report.ok).toBe(true);
    expect(output).toMatch(/CBC: REUSABLE/);
    expect(output).toMatch(/ALT: OUTSIDE_VALIDITY_WINDOW/);
    expect(output).toMatch(/recognised 1 of its results and re-tested 1/);
    expect(output).toMatch(/decided: granted/);
    expect(output).toMatch(/denied \(already-granted\)/);
    expect(output).toMatch(/patrol-3 ACKNOWLEDGED/);
    expect(output).toMatch(/both ledgers agree on .*'s log up to entry [1-9]/);
    expect(output).not.toMatch(/chain BROKEN/);

    // The console saw every domain's events cross, and nothing of the demo was dead-lettered.
    for (const domain of ['health', 'lab', 'talent', 'police']) {
      await page
        .locator('[data-feed-item]', { hasText: `cn.shuanglai.${domain}.` })
        .first()
        .waitFor({ timeout: 30_000 });
    }
    await eventually(async () =>
      (await page.locator(`[data-node="${laiyang}/health-records"]`).textContent())?.match(/audit ✓ [1-9]/)
        ? true
        : undefined,
    );
    // The ledger panel shows both cities' ledgers agreeing.
    await page
      .locator(`[data-ledger="${laixi}/${laiyang}"]`, { hasText: 'agree up to entry' })
      .waitFor({ timeout: 30_000 });
    await expect(page.locator('#summary').textContent()).resolves.toMatch(
      new RegExp(`^All ${2 * SERVICE_NAMES.length} services healthy .* 1 dead letter$`),
    );
    await screenshot(page, 'console-after-demo');
  });

  it('leaves no clear resident ID or mobile number in any message of either city, dead letters included', async () => {
    const ours = (topic: string) => [laixi, laiyang].some((region) => topic.startsWith(`${region}.`));
    await expect(scanBrokerForClearIdentifiers({ brokers: testInfra().kafkaBrokers, topics: ours })).resolves.toEqual(
      [],
    );
  });
});
