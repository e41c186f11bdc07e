import { generateKeyPairSync } from 'node:crypto';
import { Controller, Get, INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { SignJWT } from 'jose';
import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, DEV_JWT_SECRET } from '@app/config';
import request from 'supertest';
import { CurrentPrincipal, Public, Roles } from './auth.decorators';
import { AuthGuard } from './auth.guard';
import { signDevToken } from './dev-token.util';
import { Principal } from './principal.model';
import { createTestApp, testConfig } from './test-app.fixture';

@Controller('probe')
class ProbeController {
  @Get('his')
  @Roles('his', 'operator')
  his(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('any')
  any(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('health')
  @Public()
  health(): { status: string } {
    return { status: 'ok' };
  }
}

@Controller('ops')
@Roles('operator')
class OperatorController {
  @Get()
  get(): { ok: boolean } {
    return { ok: true };
  }
}

const config = testConfig();
const token = (claims: object, secret = DEV_JWT_SECRET, expiresIn = 60) =>
  new JwtService().sign(claims, {
    secret,
    algorithm: 'HS256',
    expiresIn,
    issuer: DEV_JWT_ISSUER,
    audience: DEV_JWT_AUDIENCE,
  });
/** Signed with the right secret, issuer and audience, with the claims given (iat added when absent, no exp). */
const raw = (claims: object) =>
  new JwtService().sign(
    { iss: DEV_JWT_ISSUER, aud: DEV_JWT_AUDIENCE, ...claims },
    { secret: DEV_JWT_SECRET, algorithm: 'HS256' },
  );
const now = () => Math.floor(Date.now() / 1000);
const laixiHis = { role: 'his', region: 'laixi', org: 'h1' };

describe(AuthGuard.name, () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp([ProbeController, OperatorController], config);
  });

  afterAll(async () => {
    await app.close();
  });

  it('does refuse a request without a token with a 401 problem and WWW-Authenticate', async () => {
    const response = await request(app.getHttpServer()).get('/probe/his');

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.body).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: expect.stringContaining('Bearer'),
      instance: '/probe/his',
    });
  });

  it('does refuse a token signed with another secret', async () => {
    const forged = token({ role: 'his', region: 'laixi', org: 'h1' }, 'not-the-secret-not-the-secret-not-the-secret');

    const response = await request(app.getHttpServer()).get('/probe/his').auth(forged, { type: 'bearer' });

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(response.body).toMatchObject({ status: 401, detail: 'The bearer token is invalid' });
  });

  it('does refuse an expired token', async () => {
    const expired = token({ role: 'his', region: 'laixi', org: 'h1' }, DEV_JWT_SECRET, -60);

    const response = await request(app.getHttpServer()).get('/probe/his').set('Authorization', `Bearer ${expired}`);

    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ status: 401, detail: 'The bearer token has expired' });
  });

  it.each([
    ['without exp (regression: it was accepted and never expired)', () => raw({ ...laixiHis, iat: now() }), /"exp"/],
    [
      'issued ten years ahead (regression: it was accepted)',
      () => raw({ ...laixiHis, iat: now() + 315_360_000, exp: now() + 315_363_600 }),
      /issued in the future/,
    ],
    ['not valid before a later time', () => raw({ ...laixiHis, nbf: now() + 600, exp: now() + 900 }), /"nbf"/],
    ['living longer than allowed', () => raw({ ...laixiHis, iat: now(), exp: now() + 86_401 }), /lives longer/],
    ['for another audience', () => raw({ ...laixiHis, aud: 'elsewhere', exp: now() + 60 }), /"aud"/],
    ['of another issuer', () => raw({ ...laixiHis, iss: 'https://idp.example', exp: now() + 60 }), /"iss"/],
  ])('does refuse a token %s', async (_case, jwt, detail) => {
    const response = await request(app.getHttpServer()).get('/probe/any').auth(jwt(), { type: 'bearer' });

    expect(response.status).toBe(401);
    expect(response.body.detail).toMatch(detail);
  });

  it('does accept a token issued within the clock skew ahead', async () => {
    const jwt = raw({ ...laixiHis, iat: now() + 20, exp: now() + 300 });

    const response = await request(app.getHttpServer()).get('/probe/any').auth(jwt, { type: 'bearer' });

    expect(response.status).toBe(200);
  });

  it("does refuse another city's valid token with 403 (regression: a Laiyang operator used Laixi's node)", async () => {
    const response = await request(app.getHttpServer())
      .get('/ops')
      .auth(token({ role: 'operator', region: 'laiyang', org: 'o1' }), { type: 'bearer' });

    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 403, code: 'AUTH.OTHER_CITY' });
  });

  it('does refuse an unsigned (alg none) token', async () => {
    const [, payload] = token({ role: 'operator', region: 'laixi', org: 'o1' }).split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');

    const response = await request(app.getHttpServer())
      .get('/probe/any')
      .auth(`${header}.${payload}.`, { type: 'bearer' });

    expect(response.status).toBe(401);
  });

  it.each([
    ['an unknown role', { role: 'admin', region: 'laixi', org: 'o1' }, /role must be one of/],
    ['a region outside the registry', { role: 'his', region: 'atlantis', org: 'h1' }, /region must be one of laixi/],
    ['no org', { role: 'his', region: 'laixi' }, /org must name/],
  ])('does refuse a token with %s', async (_case, claims, detail) => {
    const response = await request(app.getHttpServer()).get('/probe/any').auth(token(claims), { type: 'bearer' });

    expect(response.status).toBe(401);
    expect(response.body.detail).toMatch(detail);
  });

  it('does refuse a valid token whose role is not allowed with a 403 problem', async () => {
    const response = await request(app.getHttpServer())
      .get('/probe/his')
      .auth(token({ role: 'police-unit', region: 'laixi', org: 'p1' }), { type: 'bearer' });

    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ title: 'Forbidden', status: 403, instance: '/probe/his' });
  });

  it('does apply @Roles on a controller to its endpoints', async () => {
    const his = await request(app.getHttpServer())
      .get('/ops')
      .auth(token({ role: 'his', region: 'laixi', org: 'h1' }), { type: 'bearer' });
    const operator = await request(app.getHttpServer())
      .get('/ops')
      .auth(token({ role: 'operator', region: 'laixi', org: 'o1' }), { type: 'bearer' });

    expect([his.status, operator.status]).toEqual([403, 200]);
  });

  it('does let an allowed role through and hand the principal to the handler', async () => {
    const devToken = signDevToken({ role: 'his', region: 'laixi', org: 'hospital-7' }, config);

    const response = await request(app.getHttpServer()).get('/probe/his').auth(devToken, { type: 'bearer' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ role: 'his', region: 'laixi', org: 'hospital-7' });
  });

  it('does let any valid token through an endpoint without @Roles', async () => {
    const response = await request(app.getHttpServer())
      .get('/probe/any')
      .auth(token({ role: 'hr-bureau', region: 'laixi', org: 'hr-1', sub: 'clerk-3' }), { type: 'bearer' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ role: 'hr-bureau', region: 'laixi', org: 'hr-1', sub: 'clerk-3' });
  });

  it('does serve a @Public endpoint without a token', async () => {
    const response = await request(app.getHttpServer()).get('/probe/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  describe('with a public key', () => {
    it.each([
      ['RS256', generateKeyPairSync('rsa', { modulusLength: 2048 })],
      ['ES256', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
    ] as const)('does accept %s tokens from the identity provider', async (algorithm, keys) => {
      const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const idp = await createTestApp([ProbeController], testConfig({ AUTH_JWT_PUBLIC_KEY: publicKey }));
      const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const signed = new JwtService().sign(laixiHis, {
        privateKey,
        algorithm,
        expiresIn: 60,
        issuer: DEV_JWT_ISSUER,
        audience: DEV_JWT_AUDIENCE,
      });
      // An HS256 token keyed with the public key: the classic algorithm-confusion forgery.
      const confused = token({ role: 'his', region: 'laixi', org: 'h1' }, publicKey);

      try {
        const accepted = await request(idp.getHttpServer()).get('/probe/his').auth(signed, { type: 'bearer' });
        const refused = await request(idp.getHttpServer()).get('/probe/his').auth(confused, { type: 'bearer' });

        expect(accepted.status).toBe(200);
        expect(refused.status).toBe(401);
      } finally {
        await idp.close();
      }
    });

    it('does accept EdDSA (Ed25519) tokens from the identity provider', async () => {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const idp = await createTestApp([ProbeController], testConfig({ AUTH_JWT_PUBLIC_KEY: pem }));
      const signed = await new SignJWT(laixiHis)
        .setProtectedHeader({ alg: 'EdDSA' })
        .setIssuer(DEV_JWT_ISSUER)
        .setAudience(DEV_JWT_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);

      try {
        const response = await request(idp.getHttpServer()).get('/probe/his').auth(signed, { type: 'bearer' });

        expect(response.status).toBe(200);
      } finally {
        await idp.close();
      }
    });
  });
});
