import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Controller, Get, INestApplication } from '@nestjs/common';
import { JWK, KeyLike, SignJWT, exportJWK, generateKeyPair } from 'jose';
import request from 'supertest';
import { CurrentPrincipal } from '../src/auth.decorators';
import { Principal } from '../src/principal.model';
import { createTestApp, testConfig } from '../src/test-app.fixture';

@Controller('me')
class MeController {
  @Get()
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}

const ISSUER = 'https://idp.laixi.example';
const AUDIENCE = 'shuanglai-laixi';

/** A bureau's identity provider: its JWKS endpoint, served by the test. */
class IdentityProvider {
  readonly keys: JWK[] = [];
  fetches = 0;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((_request, res) => {
      this.fetches++;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  async publish(alg: 'EdDSA' | 'RS256' | 'ES256', kid: string): Promise<KeyLike> {
    const { publicKey, privateKey } = await generateKeyPair(alg, { crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
    this.keys.push({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
    return privateKey;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function token(key: KeyLike, alg: string, kid: string, overrides: { iss?: string; aud?: string } = {}) {
  return new SignJWT({ role: 'his', region: 'laixi', org: 'laixi-hospital-1' })
    .setProtectedHeader({ alg, kid })
    .setIssuer(overrides.iss ?? ISSUER)
    .setAudience(overrides.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key);
}

describe('bearer tokens verified against an identity provider’s JWKS', () => {
  const idp = new IdentityProvider();
  let app: INestApplication;
  let ed25519: KeyLike;
  let rsa: KeyLike;
  let ec: KeyLike;

  beforeAll(async () => {
    const url = await idp.start();
    // All keys up front: the verifier fetches the set again for an unknown kid at most every 30 s.
    ed25519 = await idp.publish('EdDSA', 'ed-1');
    rsa = await idp.publish('RS256', 'rsa-1');
    ec = await idp.publish('ES256', 'ec-1');
    app = await createTestApp(
      [MeController],
      testConfig({ AUTH_JWKS_URL: url, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE }),
    );
  });

  afterAll(async () => {
    await app?.close();
    await idp.stop();
  });

  const call = (jwt: string) => request(app.getHttpServer()).get('/me').auth(jwt, { type: 'bearer' });

  it('does accept an EdDSA (Ed25519) token signed with a key of the set', async () => {
    const response = await call(await token(ed25519, 'EdDSA', 'ed-1'));

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ role: 'his', region: 'laixi', org: 'laixi-hospital-1' });
  });

  it('does accept RS256 and ES256 tokens signed with keys of the set', async () => {
    const statuses = [(await call(await token(rsa, 'RS256', 'rsa-1'))).status];
    statuses.push((await call(await token(ec, 'ES256', 'ec-1'))).status);

    expect(statuses).toEqual([200, 200]);
  });

  it('does refuse a token signed with a key outside the set, though it names a kid of the set', async () => {
    const { privateKey: forger } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });

    const response = await call(await token(forger, 'EdDSA', 'ed-1'));

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it.each([
    ['another issuer', { iss: 'https://idp.elsewhere.example' }, /"iss"/],
    ['another audience', { aud: 'another-service' }, /"aud"/],
  ])('does refuse a token of %s', async (_case, overrides, detail) => {
    const response = await call(await token(ed25519, 'EdDSA', 'ed-1', overrides));

    expect(response.status).toBe(401);
    expect(response.body.detail).toMatch(detail);
  });

  it('does answer 503, not 401 or 500, when the key set cannot be fetched', async () => {
    const unreachable = new IdentityProvider();
    const url = await unreachable.start();
    const key = await unreachable.publish('EdDSA', 'ed-x');
    await unreachable.stop();
    const orphan = await createTestApp(
      [MeController],
      testConfig({ AUTH_JWKS_URL: url, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE }),
    );

    try {
      const response = await request(orphan.getHttpServer())
        .get('/me')
        .auth(await token(key, 'EdDSA', 'ed-x'), { type: 'bearer' });

      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ status: 503, code: 'AUTH.IDP_UNAVAILABLE' });
    } finally {
      await orphan.close();
    }
  });
});
