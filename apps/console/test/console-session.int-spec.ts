import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { DEV_JWT_SECRET, devJwtKey } from '@app/config';
import { RegionRegistry, SERVICE_NAMES } from '@app/contracts';
import { Role, signDevToken } from '@app/http';
import { freePort, repoRoot } from '@app/embedded';
import { eventually } from '@app/testing';
import { JwtService } from '@nestjs/jwt';
import { loadConsoleConfig } from '../src/console.config';
import { RunningConsole, startConsoleApp } from '../src/console.app';

const root = repoRoot();
const registry = RegionRegistry.fromFile(`${root}/config/regions.json`);
const token = (role: Role, region: string, ttlSeconds?: number) =>
  signDevToken({ role, region, org: `${region}-ops`, sub: 'tester', ttlSeconds }, { jwt: devJwtKey({}), registry });

/** The console with nothing to watch that answers (the services' address refuses connections). */
async function startConsole(env: NodeJS.ProcessEnv = {}): Promise<RunningConsole> {
  const config = loadConsoleConfig(
    { PORT: String(await freePort()), SERVICE_URL_TEMPLATE: 'http://127.0.0.1:1/{region}/{service}', ...env },
    root,
  );
  return startConsoleApp(config, { logLevel: 'silent' });
}

describe('the operator console: login, session, CSRF, Host and Origin', () => {
  let console: RunningConsole;
  let origin: string;
  const replayPath = '/api/nodes/laixi/talent/dead-letters/1/replay';

  beforeAll(async () => {
    console = await startConsole();
    origin = console.url;
  });

  afterAll(() => console?.close());

  async function login(bearer = token('operator', 'laixi')) {
    const response = await request(console.url).post('/api/session').set('Origin', origin).send({ token: bearer });
    expect(response.status).toBe(201);
    const cookie = response.headers['set-cookie'] as unknown as string[];
    return { cookie: cookie[0].split(';')[0], csrf: (response.body as { csrfToken: string }).csrfToken, response };
  }

  it('serves no data without a session: snapshot, event stream, dead letters and replays are 401', async () => {
    for (const path of ['/api/state', '/api/stream', '/api/session']) {
      const response = await request(console.url).get(path);
      expect([path, response.status, response.headers['content-type']]).toEqual([
        path,
        401,
        expect.stringContaining('application/problem+json'),
      ]);
    }
    const replay = await request(console.url).post(replayPath).set('Origin', origin).set('X-CSRF-Token', 'guess');
    expect(replay.status).toBe(401);
    // The page and its login form are served, and hold no data.
    const page = await request(console.url).get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="login"');
  });

  it('logs an operator of its own region in with an HttpOnly, SameSite=Strict cookie bounded in time', async () => {
    const before = Date.now();
    const { cookie, csrf, response } = await login(token('operator', 'laixi', 600));
    const setCookie = (response.headers['set-cookie'] as unknown as string[])[0];
    expect(setCookie).toMatch(/^console-session=[\w-]{43}; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    expect(response.body).toMatchObject({ operator: { role: 'operator', region: 'laixi', org: 'laixi-ops' } });
    // Its life is the token's when that is shorter than the console's maximum (8 h).
    const expiresAt = Date.parse((response.body as { expiresAt: string }).expiresAt);
    expect(expiresAt).toBeGreaterThan(before + 590_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 600_000);
    expect(csrf).toMatch(/^[\w-]{43}$/);

    const state = await request(console.url).get('/api/state').set('Cookie', cookie);
    expect(state.status).toBe(200);
    expect(state.headers['cache-control']).toBe('no-store');
    await expect(request(console.url).get('/api/session').set('Cookie', cookie)).resolves.toMatchObject({
      status: 200,
      body: { csrfToken: csrf },
    });
  });

  it('refuses a token of another region (403), of another role (403), forged, expired or without exp (401)', async () => {
    const attempt = (bearer: string) =>
      request(console.url).post('/api/session').set('Origin', origin).send({ token: bearer });
    const other = await attempt(token('operator', 'laiyang'));
    expect([other.status, (other.body as { detail: string }).detail]).toEqual([
      403,
      expect.stringMatching(/laixi's console/),
    ]);
    const role = await attempt(token('his', 'laixi'));
    expect([role.status, (role.body as { detail: string }).detail]).toEqual([
      403,
      expect.stringMatching(/role is 'his'/),
    ]);
    // Each signed with the issuer and audience the services expect, so that the one fault named is what refuses it.
    const claims = { role: 'operator', region: 'laixi', org: 'x' };
    const named = { issuer: 'shuanglai-dev', audience: 'shuanglai-bus' };
    const forged = new JwtService().sign(claims, {
      ...named,
      secret: 'not-the-secret-not-the-secret-not-the-secret',
      expiresIn: 600,
    });
    const endless = new JwtService().sign(claims, { ...named, secret: DEV_JWT_SECRET });
    const expired = new JwtService().sign(
      { ...claims, exp: Math.floor(Date.now() / 1000) - 600 },
      { ...named, secret: DEV_JWT_SECRET },
    );
    for (const [bearer, detail] of [
      [forged, /^The bearer token is invalid$/],
      [endless, /"exp"/],
      [expired, /^The bearer token has expired$/],
    ] as const) {
      const response = await attempt(bearer);
      expect([response.status, (response.body as { detail: string }).detail]).toEqual([
        401,
        expect.stringMatching(detail),
      ]);
    }
    const empty = await attempt('');
    expect(empty.status).toBe(400);
    // None of them opened a session.
    for (const response of [other, role]) expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a state-changing request without the CSRF token or with another one (403)', async () => {
    const { cookie } = await login();
    const { csrf: otherSessionsToken } = await login();
    const missing = await request(console.url).post(replayPath).set('Origin', origin).set('Cookie', cookie);
    expect([missing.status, (missing.body as { detail: string }).detail]).toEqual([403, expect.stringMatching(/CSRF/)]);
    for (const wrong of ['', 'x', otherSessionsToken]) {
      const response = await request(console.url)
        .post(replayPath)
        .set('Origin', origin)
        .set('Cookie', cookie)
        .set('X-CSRF-Token', wrong);
      expect(response.status).toBe(403);
    }
    const logout = await request(console.url).delete('/api/session').set('Origin', origin).set('Cookie', cookie);
    expect(logout.status).toBe(403);
  });

  it("lets a replay with the session's CSRF token and an allowed Origin through to the service", async () => {
    const { cookie, csrf } = await login();
    const replay = (path: string) =>
      request(console.url).post(path).set('Origin', origin).set('Cookie', cookie).set('X-CSRF-Token', csrf);
    const unknown = await replay('/api/nodes/atlantis/talent/dead-letters/1/replay');
    expect([unknown.status, unknown.body]).toEqual([404, expect.objectContaining({ code: 'CONSOLE.UNKNOWN_NODE' })]);
    // Regression: a service that cannot be reached made the replay answer 500.
    const unreachable = await replay(replayPath);
    expect([unreachable.status, unreachable.body]).toEqual([
      503,
      expect.objectContaining({
        code: 'CONSOLE.REPLAY_FAILED',
        detail: expect.stringMatching(/^laixi talent: unreachable/),
      }),
    ]);
  });

  it("asks each service of its own city who read a person's data, with a session only, for a pseudonym only", async () => {
    const subject = `p1.${'A'.repeat(43)}`;
    const anonymous = await request(console.url).get('/api/access-reports').query({ subject });
    expect(anonymous.status).toBe(401);
    const { cookie } = await login();
    const notPseudonym = await request(console.url)
      .get('/api/access-reports')
      .query({ subject: '370285196205237809' })
      .set('Cookie', cookie);
    expect(notPseudonym.status).toBe(400);
    const answered = await request(console.url).get('/api/access-reports').query({ subject }).set('Cookie', cookie);
    expect(answered.status).toBe(200);
    // Nothing answers at the services' address here: each of Laixi's services is named, with why it has no answer.
    expect(answered.body).toEqual(
      SERVICE_NAMES.map((service) => ({
        service,
        reports: [],
        error: expect.stringMatching(/^unreachable/) as unknown,
      })),
    );
  });

  it('refuses a request from another Origin (403), and a state-changing one without an Origin (403)', async () => {
    const { cookie, csrf } = await login();
    for (const bad of ['http://evil.example', 'null', `${origin}.evil.example`, 'http://127.0.0.1:1']) {
      const replay = await request(console.url)
        .post(replayPath)
        .set('Origin', bad)
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrf);
      expect([bad, replay.status, (replay.body as { code: string }).code]).toEqual([
        bad,
        403,
        'CONSOLE.ORIGIN_NOT_ALLOWED',
      ]);
      const read = await request(console.url).get('/api/state').set('Origin', bad).set('Cookie', cookie);
      expect(read.status).toBe(403);
      const login = await request(console.url)
        .post('/api/session')
        .set('Origin', bad)
        .send({ token: token('operator', 'laixi') });
      expect([login.status, login.headers['set-cookie']]).toEqual([403, undefined]);
    }
    const noOrigin = await request(console.url).post(replayPath).set('Cookie', cookie).set('X-CSRF-Token', csrf);
    expect([noOrigin.status, (noOrigin.body as { code: string }).code]).toEqual([403, 'CONSOLE.ORIGIN_REQUIRED']);
  });

  it('answers nothing to a Host it does not know (DNS rebinding): pages, data, stream and health alike (421)', async () => {
    const { cookie } = await login();
    for (const path of [
      '/',
      '/console.js',
      '/index.html',
      '/api/state',
      '/api/stream',
      '/api/session',
      '/health',
      '/docs',
    ]) {
      for (const host of ['evil.example', `evil.example:${new URL(origin).port}`, '127.0.0.1:1']) {
        const response = await request(console.url).get(path).set('Host', host).set('Cookie', cookie);
        expect([path, host, response.status, (response.body as { code: string }).code]).toEqual([
          path,
          host,
          421,
          'CONSOLE.HOST_NOT_ALLOWED',
        ]);
      }
    }
    const localhost = await request(console.url)
      .get('/health')
      .set('Host', `localhost:${new URL(origin).port}`);
    expect(localhost.status).toBe(200);
  });

  it('logs out: the cookie is cleared, the session and its event stream end', async () => {
    const { cookie, csrf } = await login();
    const stream = await openStream(console.url, cookie);
    expect(stream.status).toBe(200);
    const logout = await request(console.url)
      .delete('/api/session')
      .set('Origin', origin)
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf);
    expect(logout.status).toBe(204);
    expect((logout.headers['set-cookie'] as unknown as string[])[0]).toMatch(
      /^console-session=; Path=\/; Expires=Thu, 01 Jan 1970/,
    );
    await eventually(async () => (stream.ended ? true : undefined));
    await expect(request(console.url).get('/api/state').set('Cookie', cookie)).resolves.toMatchObject({ status: 401 });
  });

  it('sends security headers: no framing, scripts from itself only', async () => {
    const page = await request(console.url).get('/');
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['strict-transport-security']).toBeUndefined();
  });

  it('marks the cookie Secure (and __Host-) when the console is reached over TLS only', async () => {
    const tls = await startConsole({
      CONSOLE_ALLOWED_HOSTS: 'console.laixi.example',
      CONSOLE_ALLOWED_ORIGINS: 'https://console.laixi.example',
    });
    try {
      const response = await request(tls.url)
        .post('/api/session')
        .set('Host', 'console.laixi.example')
        .set('Origin', 'https://console.laixi.example')
        .send({ token: token('operator', 'laixi') });
      expect(response.status).toBe(201);
      expect((response.headers['set-cookie'] as unknown as string[])[0]).toMatch(
        /^__Host-console-session=[\w-]{43}; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/,
      );
      expect(response.headers['strict-transport-security']).toBeDefined();
      // Its own loopback address is no longer on the list.
      await expect(request(tls.url).get('/health')).resolves.toMatchObject({ status: 421 });
    } finally {
      await tls.close();
    }
  });
});

/** An event stream request with a cookie, noting when the server ends it. */
function openStream(url: string, cookie: string): Promise<{ status?: number; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const state: { status?: number; ended: boolean } = { ended: false };
    const req = httpRequest(
      `${url}/api/stream`,
      { headers: { cookie, accept: 'text/event-stream' }, agent: false },
      (res) => {
        state.status = res.statusCode;
        res.resume();
        res.on('end', () => (state.ended = true));
        res.on('close', () => (state.ended = true));
        resolve(state);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
