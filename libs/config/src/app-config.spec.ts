import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signingKeyId } from '@app/contracts';
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
      kafkaRetentionMs: 30 * 24 * 60 * 60 * 1000,
      databasePoolSize: 5,
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

  it('names a DATABASE_POOL_SIZE out of range and a KAFKA_RETENTION_MS too short to be safe', () => {
    expect(errorOf({ ...valid, DATABASE_POOL_SIZE: '0' })).toMatch(/^DATABASE_POOL_SIZE must be a whole number/);
    expect(errorOf({ ...valid, KAFKA_RETENTION_MS: '60000' })).toMatch(/^KAFKA_RETENTION_MS must be -1/);
    expect(errorOf({ ...valid, KAFKA_RETENTION_MS: 'week' })).toMatch(/^KAFKA_RETENTION_MS must be -1/);
    expect(loadConfig('talent', { ...valid, KAFKA_RETENTION_MS: '-1', DATABASE_POOL_SIZE: '2' }, root)).toMatchObject({
      kafkaRetentionMs: -1,
      databasePoolSize: 2,
    });
  });

  it("bounds the bus's message size and outbox age, with defaults under Kafka's own limits", () => {
    expect(loadConfig('talent', valid, root)).toMatchObject({
      kafkaMaxMessageBytes: 1_000_000,
      outboxMaxAgeMs: 60_000,
    });
    expect(errorOf({ ...valid, KAFKA_MAX_MESSAGE_BYTES: '1000' })).toMatch(/^KAFKA_MAX_MESSAGE_BYTES must be/);
    expect(errorOf({ ...valid, BUS_OUTBOX_MAX_AGE_MS: 'soon' })).toMatch(/^BUS_OUTBOX_MAX_AGE_MS must be/);
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

  describe('REGION_SIGNING_KEY', () => {
    const generated = () => {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      return {
        privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
        entry: {
          kid: signingKeyId(publicKey),
          publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
        },
      };
    };
    /** The repository's registry with laixi's keys replaced by `keys`. */
    const registryWith = (keys: object[]) => {
      const registry = JSON.parse(readFileSync(join(root, 'config', 'regions.json'), 'utf8')) as {
        regions: { name: string; keys: object[] }[];
      };
      registry.regions[0].keys = keys;
      const file = join(mkdtempSync(join(tmpdir(), 'regions-')), 'regions.json');
      writeFileSync(file, JSON.stringify(registry));
      return file;
    };

    it("takes a key that is one of the region's keys in force now, beside older ones", () => {
      const [old, current] = [generated(), generated()];
      const file = registryWith([
        { ...old.entry, notBefore: '2025-01-01T00:00:00Z', notAfter: '2099-01-01T00:00:00Z' },
        { ...current.entry, notBefore: '2026-01-01T00:00:00Z' },
      ]);
      const config = loadConfig(
        'talent',
        { ...valid, REGIONS_FILE: file, REGION_SIGNING_KEY: current.privateKey },
        root,
      );
      expect(config.signingKey).toBe(current.privateKey);
    });

    it("names a key that is not one of the region's keys", () => {
      const stranger = generated();
      expect(errorOf({ ...valid, REGION_SIGNING_KEY: stranger.privateKey })).toBe(
        `REGION_SIGNING_KEY: its key ${stranger.entry.kid} is not one of laixi's keys in config/regions.json`,
      );
      expect(
        errorOf({
          ...valid,
          REGION: 'laiyang',
          REGION_SIGNING_KEY: readFileSync(join(root, 'config', 'dev-keys', 'laixi.ed25519'), 'utf8').trim(),
        }),
      ).toMatch(/^REGION_SIGNING_KEY: its key \S+ is not one of laiyang's keys/);
    });

    it('starts on a non-loopback HOST with secrets of its own, the signing key read from a file', () => {
      const own = generated();
      const dir = mkdtempSync(join(tmpdir(), 'keys-'));
      writeFileSync(join(dir, 'key'), `${own.privateKey}\n`);
      const config = loadConfig(
        'talent',
        {
          ...valid,
          REGIONS_FILE: registryWith([{ ...own.entry, notBefore: '2025-01-01T00:00:00Z' }]),
          HOST: '0.0.0.0',
          AUTH_JWT_SECRET: 'j'.repeat(32),
          PSEUDONYM_SECRET: 'p'.repeat(32),
          REGION_SIGNING_KEY_FILE: join(dir, 'key'),
        },
        root,
      );
      expect([config.host, config.signingKey]).toEqual(['0.0.0.0', own.privateKey]);
    });

    it('names a key out of its window now, and one that is not an Ed25519 key', () => {
      const expired = generated();
      const file = registryWith([
        { ...expired.entry, notBefore: '2025-01-01T00:00:00Z', notAfter: '2025-06-01T00:00:00Z' },
      ]);
      expect(errorOf({ ...valid, REGIONS_FILE: file, REGION_SIGNING_KEY: expired.privateKey })).toBe(
        `REGION_SIGNING_KEY: key ${expired.entry.kid} of laixi is in force from 2025-01-01T00:00:00.000Z until 2025-06-01T00:00:00.000Z, not now`,
      );
      expect(errorOf({ ...valid, REGION_SIGNING_KEY: 'bm90IGEga2V5' })).toMatch(
        /^REGION_SIGNING_KEY must be an Ed25519 private key, PKCS#8 DER in base64/,
      );
    });
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
