import { generateKeyPairSync } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { DEV_JWT_SECRET } from '@app/config';
import { signDevToken } from './dev-token.util';
import { testConfig } from './test-app.fixture';

describe(signDevToken.name, () => {
  it('does sign an HS256 token with the configured secret and the given claims', async () => {
    const token = signDevToken({ role: 'operator', region: 'laixi', org: 'ops', ttlSeconds: 60 }, testConfig());

    const claims = await new JwtService().verifyAsync(token, { secret: DEV_JWT_SECRET, algorithms: ['HS256'] });

    expect(claims).toMatchObject({
      role: 'operator',
      region: 'laixi',
      org: 'ops',
      iss: 'shuanglai-dev',
      aud: 'shuanglai-bus',
    });
    expect(claims.exp - claims.iat).toBe(60);
  });

  it('does refuse when only a public key is configured', () => {
    const publicKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();

    expect(() =>
      signDevToken({ role: 'his', region: 'laixi', org: 'h1' }, testConfig({ AUTH_JWT_PUBLIC_KEY: publicKey })),
    ).toThrow(/AUTH_JWT_PUBLIC_KEY or AUTH_JWKS_URL is configured/);
  });

  it('does refuse a region outside the registry', () => {
    expect(() => signDevToken({ role: 'his', region: 'atlantis', org: 'h1' }, testConfig())).toThrow(
      "region must be one of laixi, laiyang; got 'atlantis'",
    );
  });
});
