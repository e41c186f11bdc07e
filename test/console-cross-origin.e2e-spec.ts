import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { ConsoleConfig, loadConsoleConfig } from '../apps/console/src/console.config';
import { RunningConsole, startConsoleApp } from '../apps/console/src/console.app';
import { TalentAppModule } from '../apps/talent/src/app.module';
import { DeadLetter, EventSigner, buildEnvelope, eventSource, sign } from '@app/bus';
import { PROBE_V1, domainTopic } from '@app/contracts';
import { freePort, repoRoot } from '@app/embedded';
import { eventually, startTestServices, systemChromium, testInfra, testRegions, testToken } from '@app/testing';

/** What reached the console's HTTP server: seen on its own `request` event, so the test knows the attack arrived. */
interface Arrival {
  method: string;
  path: string;
  origin?: string;
  withCookie: boolean;
  status?: number;
}

/**
 * An operator logged in to the console opens a page of another origin, which tries to replay a dead letter through
 * the console (a form post, a fetch, a fetch with a guessed CSRF header) and to read its state: nothing is replayed
 * and nothing is read. The console's own page, logged in, replays the same dead letter.
 */
describe('the operator console against a page of another origin, in a browser', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  const { laixi, laiyang } = regions.names;
  let talent: Awaited<ReturnType<typeof startTestServices>>;
  let console: RunningConsole;
  let attacker: Server;
  let attackerPort: number;
  let browser: Browser;
  let context: BrowserContext;
  let operatorPage: Page;
  const arrivals: Arrival[] = [];

  beforeAll(async () => {
    const executablePath = systemChromium();
    talent = await startTestServices({
      service: 'talent',
      regions,
      appModule: (config) => TalentAppModule.register(config),
      env: { HEARTBEAT_INTERVAL_MS: '60000' },
    });
    const loaded = loadConsoleConfig(
      { PORT: String(await freePort()), REGIONS_FILE: regions.file, CONSOLE_REGION: laixi, NODE_ENV: 'test' },
      repoRoot(),
    );
    console = await startConsoleApp(
      new ConsoleConfig({
        ...loaded,
        targets: ['laixi', 'laiyang'].map((base) => ({
          region: talent[base].config.region,
          service: 'talent' as const,
          url: talent[base].url,
        })),
        kafkaBrokers: undefined,
        pollIntervalMs: 500,
      }),
      { logLevel: 'warn' },
    );
    console.app.getHttpServer().on('request', (request: IncomingMessage, response: ServerResponse) => {
      const arrival: Arrival = {
        method: request.method ?? '',
        path: request.url ?? '',
        origin: request.headers.origin,
        withCookie: /console-session=/.test(request.headers.cookie ?? ''),
      };
      arrivals.push(arrival);
      response.on('finish', () => (arrival.status = response.statusCode));
    });

    attackerPort = await freePort();
    attacker = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end(attackPage(console.url));
    });
    await new Promise<void>((resolve) => attacker.listen(attackerPort, '127.0.0.1', resolve));

    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    context = await browser.newContext();
    operatorPage = await context.newPage();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => attacker?.close(resolve));
    await console?.close();
    await talent?.close();
  });

  const deadLetters = async (): Promise<DeadLetter[]> => {
    const response = await fetch(`${talent.laiyang.url}/bus/dead-letters`, {
      headers: { Authorization: `Bearer ${testToken(talent.laiyang.config, 'operator')}` },
    });
    return (await response.json()) as DeadLetter[];
  };

  it('shows the login form and no data until the operator logs in with a token of its region', async () => {
    await operatorPage.goto(console.url);
    await operatorPage.locator('#login').waitFor();
    await expect(operatorPage.locator('#board').isHidden()).resolves.toBe(true);

    await operatorPage.fill('#token', testToken(talent.laiyang.config, 'operator'));
    await operatorPage.click('#login button[type=submit]');
    await operatorPage.locator('#login-error', { hasText: `This is ${laixi}'s console` }).waitFor();

    await operatorPage.fill('#token', testToken(talent.laixi.config, 'operator'));
    await operatorPage.click('#login button[type=submit]');
    await operatorPage.locator('#board').waitFor();
    await operatorPage.locator(`[data-node="${laiyang}/talent"][data-healthy="true"]`).waitFor({ timeout: 30_000 });
    await expect(operatorPage.locator('#operator').textContent()).resolves.toContain(laixi);
  });

  it('replays nothing for a page of another origin the operator opens, and shows it nothing', async () => {
    await forgeDeadLetter();
    const [letter] = await eventually(async () => {
      const letters = await deadLetters();
      return letters.length === 1 ? letters : undefined;
    });
    expect(letter).toMatchObject({ reasonCode: 'BUS.BAD_SIGNATURE', replayCount: 0 });
    const replayPath = `/api/nodes/${laiyang}/talent/dead-letters/${letter.id}/replay`;

    // Same site, other origin (another port of 127.0.0.1): the browser sends the SameSite=Strict cookie along, so
    // what stops it is the Origin check and the CSRF token. Then another site (localhost): no cookie at all.
    for (const origin of [`http://127.0.0.1:${attackerPort}`, `http://localhost:${attackerPort}`]) {
      const page = await context.newPage();
      await page.goto(`${origin}/?letter=${letter.id}&region=${laiyang}`);
      await page.locator('body[data-done="true"]').waitFor({ timeout: 30_000 });
      const results = JSON.parse((await page.locator('body').getAttribute('data-results'))!) as string[];
      expect(results).toEqual([
        'form posted',
        // Sent (the console saw it), its answer withheld from the page (Cross-Origin-Resource-Policy).
        'no-cors fetch: answer blocked',
        'fetch with a CSRF header blocked',
        'read blocked',
      ]);
      await eventually(async () =>
        arrivals.filter((a) => a.origin === origin && a.path === replayPath && a.status !== undefined).length >= 2
          ? true
          : undefined,
      );
      const attempts = arrivals.filter((arrival) => arrival.origin === origin);
      // The form post and the no-cors fetch reached the console and were refused; the guessed header's preflight too.
      expect(attempts.filter((a) => a.method === 'POST' && a.path === replayPath).map((a) => a.status)).toEqual([
        403, 403,
      ]);
      expect(attempts.filter((a) => a.method === 'OPTIONS').map((a) => a.status)).toEqual([403]);
      expect(attempts.filter((a) => a.method === 'GET' && a.path === '/api/session').map((a) => a.status)).toEqual([
        403,
      ]);
      expect(attempts.some((a) => a.status !== 403)).toBe(false);
      expect(attempts.filter((a) => a.method === 'POST').every((a) => a.withCookie)).toBe(origin.includes('127.0.0.1'));
      await page.close();
    }
    await expect(deadLetters()).resolves.toEqual([expect.objectContaining({ id: letter.id, replayCount: 0 })]);

    // The console's own page, logged in, can.
    const row = operatorPage.locator('[data-dead-letter]', { hasText: 'BUS.BAD_SIGNATURE' });
    await row.waitFor({ timeout: 30_000 });
    await row.locator('button.replay').click();
    await row.locator('[data-replay-result]', { hasText: 'still dead: BUS.BAD_SIGNATURE' }).waitFor();
    await expect(deadLetters()).resolves.toEqual([expect.objectContaining({ id: letter.id, replayCount: 1 })]);
  });

  it('logs out: the page shows the login form again and its data is gone', async () => {
    await operatorPage.click('#logout');
    await operatorPage.locator('#login').waitFor();
    const status = await operatorPage.evaluate(async () => (await fetch('api/state')).status);
    expect(status).toBe(401);
  });

  /** A probe on laixi's talent topic signed with laiyang's key: laiyang's talent dead-letters it (BAD_SIGNATURE). */
  async function forgeDeadLetter(): Promise<void> {
    const { headers, payload } = buildEnvelope({
      id: randomUUID(),
      type: PROBE_V1,
      source: eventSource(laixi, 'talent'),
      region: laixi,
      subject: 'probe/cross-origin',
      data: { probeId: randomUUID(), stream: 'cross-origin', n: 1 },
    });
    const devKey = (region: string) =>
      readFileSync(join(repoRoot(), 'config', 'dev-keys', `${region}.ed25519`), 'utf8').trim();
    const forger = new EventSigner(devKey('laiyang'));
    // A forger names laixi's key (kid), whatever key it signs with.
    const sig = sign(forger, headers, payload, '1').replace(forger.kid, new EventSigner(devKey('laixi')).kid);
    const producer = new Kafka({ brokers: [testInfra().kafkaBrokers], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({
      topic: domainTopic(laixi, 'talent'),
      messages: [
        {
          key: 'probe/cross-origin',
          value: payload,
          headers: { ...headers, ce_seq: '1', ce_sig: sig },
        },
      ],
    });
    await producer.disconnect();
  }
});

/** The attacker's page: every way a page of another origin has to make a browser post to the console, and read it. */
function attackPage(consoleUrl: string): string {
  return `<!doctype html><html><body>
<iframe name="sink"></iframe>
<form id="replay" method="POST" target="sink"></form>
<script>
  (async () => {
    const params = new URLSearchParams(location.search);
    const url = '${consoleUrl}/api/nodes/' + params.get('region') + '/talent/dead-letters/' + params.get('letter') + '/replay';
    const results = [];
    const form = document.getElementById('replay');
    form.action = url;
    const posted = new Promise((resolve) => document.querySelector('iframe').addEventListener('load', resolve));
    form.submit();
    await posted;
    results.push('form posted');
    await fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include' }).then(
      () => results.push('no-cors fetch answered'),
      () => results.push('no-cors fetch: answer blocked'),
    );
    await fetch(url, { method: 'POST', credentials: 'include', headers: { 'X-CSRF-Token': 'guess' } }).then(
      (response) => results.push('fetch with a CSRF header answered ' + response.status),
      () => results.push('fetch with a CSRF header blocked'),
    );
    await fetch('${consoleUrl}/api/session', { credentials: 'include' }).then(
      async (response) => results.push('read ' + (await response.text())),
      () => results.push('read blocked'),
    );
    document.body.dataset.results = JSON.stringify(results);
    document.body.dataset.done = 'true';
  })();
</script>
</body></html>`;
}
