import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@app/embedded';
import { ConfigError, loadConfig } from './app-config';

const root = repoRoot();
const valid = {
  REGION: 'laixi',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shuanglai_laixi_talent',
  KAFKA_BROKERS: '127.0.0.1:9092',
};

function errorOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig('talent', env, root);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe(loadConfig.name, () => {
  it('reads a valid environment into typed values with the documented defaults', () => {
    const config = loadConfig('talent', valid, root);
    expect(config).toMatchObject({
      service: 'talent',
      region: 'laixi',
      port: 3103,
      kafkaBrokers: ['127.0.0.1:9092'],
      kafkaPartitions: 3,
      environment: 'development',
    });
    expect(config.peers).toEqual(['laiyang']);
    expect(config.jwt.kind).toBe('secret');
    expect(config.signingKey).toMatch(/^[A-Za-z0-9+/=]+$/);
  });

  it('derives the port 3i0s from the region index and the service', () => {
    expect(loadConfig('police', { ...valid, REGION: 'laiyang' }, root).port).toBe(3204);
    expect(loadConfig('health-records', valid, root).port).toBe(3101);
    expect(loadConfig('talent', { ...valid, PORT: '4000' }, root).port).toBe(4000);
  });

  it('names a missing REGION', () => {
    expect(errorOf({ ...valid, REGION: undefined })).toMatch(/^REGION is required/);
  });

  it('names a REGION that the registry does not list, with the ones it does', () => {
    expect(errorOf({ ...valid, REGION: 'qingdao' })).toBe(
      "REGION must be one of laixi, laiyang (from config/regions.json); got 'qingdao'",
    );
  });

  it('names a DATABASE_URL that is not a PostgreSQL URL', () => {
    expect(errorOf({ ...valid, DATABASE_URL: 'mysql://x' })).toMatch(/^DATABASE_URL must be a PostgreSQL URL/);
  });

  it('names KAFKA_BROKERS that are not host:port pairs', () => {
    expect(errorOf({ ...valid, KAFKA_BROKERS: 'localhost' })).toMatch(/^KAFKA_BROKERS must be a comma-separated/);
  });

  it('names a PORT out of range and one that is not a number', () => {
    expect(errorOf({ ...valid, PORT: '70000' })).toMatch(/^PORT must be a whole number from 1 to 65535/);
    expect(errorOf({ ...valid, PORT: 'eighty' })).toMatch(/^PORT must be a whole number/);
  });

  it('lists every bad variable on one line', () => {
    const message = errorOf({ REGION: 'laixi' });
    expect(message).not.toContain('\n');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('KAFKA_BROKERS');
  });

  it('names REGIONS_FILE when the registry cannot be read or is invalid', () => {
    expect(errorOf({ ...valid, REGIONS_FILE: 'config/missing.json' })).toMatch(/^REGIONS_FILE: cannot read/);
    const dir = mkdtempSync(join(tmpdir(), 'regions-'));
    writeFileSync(join(dir, 'r.json'), JSON.stringify({ regions: [{ name: 'Laixi!', index: 1 }] }));
    expect(errorOf({ ...valid, REGIONS_FILE: join(dir, 'r.json') })).toMatch(
      /^REGIONS_FILE: .* is invalid: regions\.0\.name/,
    );
  });

  it('refuses development secrets in production', () => {
    expect(errorOf({ ...valid, NODE_ENV: 'production' })).toMatch(
      /^AUTH_JWT_PUBLIC_KEY \(or AUTH_JWKS_URL, AUTH_JWT_SECRET\) is required/,
    );
    expect(errorOf({ ...valid, NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) })).toMatch(
      /^REGION_SIGNING_KEY is required in production/,
    );
  });

  it('takes CLOCK_OFFSET_MS in tests only', () => {
    expect(loadConfig('talent', { ...valid, NODE_ENV: 'test', CLOCK_OFFSET_MS: '-3600000' }, root).clockOffsetMs).toBe(
      -3_600_000,
    );
    expect(errorOf({ ...valid, CLOCK_OFFSET_MS: '1000' })).toBe('CLOCK_OFFSET_MS is honoured only with NODE_ENV=test');
    expect(errorOf({ ...valid, NODE_ENV: 'test', CLOCK_OFFSET_MS: 'soon' })).toMatch(/^CLOCK_OFFSET_MS must be/);
  });
  it('binds to the loopback interface unless HOST says otherwise', () => {
    expect(loadConfig('talent', valid, root).host).toBe('127.0.0.1');
  });

  it.each([
    ['the development JWT secret', {}, 'AUTH_JWT_SECRET'],
    [
      'the development signing key',
      { AUTH_JWT_SECRET: 'j'.repeat(32), PSEUDONYM_SECRET: 'p'.repeat(32) },
      'REGION_SIGNING_KEY',
    ],
  ])('refuses %s on a non-loopback HOST whatever NODE_ENV says', (_case, env, variable) => {
    for (const NODE_ENV of ['development', 'test']) {
      expect(errorOf({ ...valid, ...env, NODE_ENV, HOST: '0.0.0.0' })).toMatch(
        new RegExp(`^HOST 0.0.0.0 is not a loopback address, so .*${variable}`),
      );
    }
  });

  it('starts on a non-loopback HOST with secrets of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    writeFileSync(join(dir, 'key'), 'MC4CAQAwBQYDK2VwBCIEIOnlyATestKeyOnlyATestKeyOnlyATestKey00000\n');
    const config = loadConfig(
      'talent',
      {
        ...valid,
        HOST: '0.0.0.0',
        AUTH_JWT_SECRET: 'j'.repeat(32),
        PSEUDONYM_SECRET: 'p'.repeat(32),
        REGION_SIGNING_KEY_FILE: join(dir, 'key'),
      },
      root,
    );
    expect([config.host, config.signingKey]).toEqual([
      '0.0.0.0',
      'MC4CAQAwBQYDK2VwBCIEIOnlyATestKeyOnlyATestKeyOnlyATestKey00000',
    ]);
  });

  it('reads a secret from <NAME>_FILE and validates it like the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    writeFileSync(join(dir, 'jwt'), 'short\n');
    writeFileSync(join(dir, 'long'), `${'s'.repeat(40)}\n`);
    expect(loadConfig('talent', { ...valid, AUTH_JWT_SECRET_FILE: join(dir, 'long') }, root).jwt).toMatchObject({
      kind: 'secret',
      secret: 's'.repeat(40),
    });
    expect(errorOf({ ...valid, AUTH_JWT_SECRET_FILE: join(dir, 'jwt') })).toBe(
      'AUTH_JWT_SECRET must be at least 32 characters',
    );
    expect(errorOf({ ...valid, PSEUDONYM_SECRET_FILE: join(dir, 'missing') })).toMatch(
      /^PSEUDONYM_SECRET_FILE: cannot read/,
    );
    expect(errorOf({ ...valid, AUTH_JWT_SECRET: 'x'.repeat(32), AUTH_JWT_SECRET_FILE: join(dir, 'long') })).toBe(
      'set AUTH_JWT_SECRET or AUTH_JWT_SECRET_FILE, not both',
    );
  });

  it('reads the token policy with its defaults, and refuses two ways of verifying tokens', () => {
    expect(loadConfig('talent', valid, root).jwt).toMatchObject({
      issuer: 'shuanglai-dev',
      audience: 'shuanglai-bus',
      maxLifetimeSeconds: 86_400,
      clockSkewSeconds: 30,
    });
    expect(errorOf({ ...valid, AUTH_JWT_MAX_LIFETIME_SECONDS: '10' })).toMatch(
      /^AUTH_JWT_MAX_LIFETIME_SECONDS must be/,
    );
    expect(errorOf({ ...valid, AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_JWT_SECRET: 'x'.repeat(32) })).toBe(
      'set only one of AUTH_JWKS_URL, AUTH_JWT_SECRET: tokens are verified one way',
    );
  });
});
