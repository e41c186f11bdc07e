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
});
