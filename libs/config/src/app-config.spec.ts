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
      /^AUTH_JWT_PUBLIC_KEY \(or AUTH_JWT_SECRET\) is required/,
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
});

describe('Kafka client security (KAFKA_SASL_*, KAFKA_SSL*)', () => {
  const sasl = { KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'laixi.services' };
  const secretFile = (text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'kafka-secret-')), 'secret');
    writeFileSync(file, text);
    return file;
  };

  it('is plaintext without authentication when nothing is set (the loopback test broker)', () => {
    expect(loadConfig('talent', valid, root).kafkaSecurity).toEqual({ ssl: false });
  });

  it('takes SCRAM credentials from the variables, or the password from a file without its final newline', () => {
    expect(loadConfig('talent', { ...valid, ...sasl, KAFKA_SASL_PASSWORD: 'pw' }, root).kafkaSecurity).toEqual({
      ssl: false,
      sasl: { mechanism: 'scram-sha-512', username: 'laixi.services', password: 'pw' },
    });
    const file = secretFile('from-file\n');
    expect(
      loadConfig('talent', { ...valid, ...sasl, KAFKA_SASL_PASSWORD_FILE: file }, root).kafkaSecurity.sasl?.password,
    ).toBe('from-file');
  });

  it('names what is missing or contradictory', () => {
    expect(errorOf({ ...valid, KAFKA_SASL_MECHANISM: 'plain' })).toBe(
      'KAFKA_SASL_MECHANISM must be SCRAM-SHA-256 or SCRAM-SHA-512',
    );
    expect(errorOf({ ...valid, KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toMatch(
      /^KAFKA_SASL_MECHANISM is required/,
    );
    expect(errorOf({ ...valid, KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_PASSWORD: 'p' })).toMatch(
      /^KAFKA_SASL_USERNAME is required/,
    );
    expect(errorOf({ ...valid, ...sasl })).toMatch(/^KAFKA_SASL_PASSWORD \(or KAFKA_SASL_PASSWORD_FILE\) is required/);
    expect(errorOf({ ...valid, ...sasl, KAFKA_SASL_PASSWORD: 'p', KAFKA_SASL_PASSWORD_FILE: secretFile('p') })).toBe(
      'set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both',
    );
    expect(errorOf({ ...valid, ...sasl, KAFKA_SASL_PASSWORD_FILE: '/nonexistent/secret' })).toBe(
      'KAFKA_SASL_PASSWORD_FILE: cannot read /nonexistent/secret',
    );
  });

  it('turns TLS on with KAFKA_SSL=true, trusting KAFKA_SSL_CA_FILE when given', () => {
    expect(loadConfig('talent', { ...valid, KAFKA_SSL: 'true' }, root).kafkaSecurity.ssl).toEqual({});
    const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    expect(
      loadConfig('talent', { ...valid, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: secretFile(ca) }, root).kafkaSecurity.ssl,
    ).toEqual({ ca });
    expect(errorOf({ ...valid, KAFKA_SSL: 'yes' })).toBe('KAFKA_SSL must be true or false');
    expect(errorOf({ ...valid, KAFKA_SSL_CA_FILE: secretFile(ca) })).toBe('KAFKA_SSL_CA_FILE needs KAFKA_SSL=true');
    expect(errorOf({ ...valid, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: secretFile('not a certificate') })).toMatch(
      /^KAFKA_SSL_CA_FILE must hold PEM certificates/,
    );
  });
});
