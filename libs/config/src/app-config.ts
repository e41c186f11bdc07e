import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  RegionRegistry,
  RegionRegistryError,
  ServiceName,
  flattenValidationErrors,
  keyInForce,
  signingKeyId,
} from '@app/contracts';
import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, EnvDto } from './env.dto';

/** A configuration problem: its message is the one line an operator needs, naming the variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
}

/** Development defaults only: production must set its own secrets (checked in `loadConfig`). */
export const DEV_JWT_SECRET = 'shuanglai-dev-only-jwt-secret-do-not-use-in-production';
const DEV_PSEUDONYM_SECRET = 'shuanglai-dev-only-pseudonym-secret-do-not-use-in-production';

/** How the Kafka clients reach the brokers: TLS or not, SASL/SCRAM credentials or none. */
export interface KafkaClientSecurity {
  /** Off, or on with a CA (PEM) trusted besides the system's. */
  ssl: false | { ca?: string };
  sasl?: { mechanism: 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

/** What every bearer token must satisfy besides its signature. */
export interface JwtPolicy {
  issuer: string;
  audience: string;
  maxLifetimeSeconds: number;
  clockSkewSeconds: number;
}

/** How bearer tokens are verified: a shared HS256 secret, the IdP's public key, or the IdP's JWKS endpoint. */
export type JwtKey = (
  { kind: 'secret'; secret: string } | { kind: 'public-key'; publicKey: string } | { kind: 'jwks'; jwksUrl: string }
) &
  JwtPolicy;

/** Variables that may instead be read from the file named by `<NAME>_FILE` (Docker and Kubernetes secrets). */
export const SECRET_VARIABLES = [
  'DATABASE_URL',
  'AUTH_JWT_SECRET',
  'AUTH_JWT_PUBLIC_KEY',
  'REGION_SIGNING_KEY',
  'PSEUDONYM_SECRET',
] as const;

/** Typed, validated configuration of one service instance (one region, one service). */
export class AppConfig {
  readonly service!: ServiceName;
  readonly region!: string;
  readonly registry!: RegionRegistry;
  readonly port!: number;
  /** The interface the HTTP server listens on. */
  readonly host!: string;
  readonly databaseUrl!: string;
  readonly kafkaBrokers!: string[];
  readonly kafkaSecurity!: KafkaClientSecurity;
  readonly kafkaGroupPrefix!: string;
  readonly kafkaPartitions!: number;
  /** retention.ms of the region's topics; -1: forever. */
  readonly kafkaRetentionMs!: number;
  readonly databasePoolSize!: number;
  readonly heartbeatIntervalMs!: number;
  /** The largest produce request the relay sends, and so the largest event accepted for publishing. */
  readonly kafkaMaxMessageBytes!: number;
  /** How long the oldest pending outbox event may wait before readiness reports the bus degraded. */
  readonly outboxMaxAgeMs!: number;
  readonly logLevel!: string;
  readonly environment!: string;
  readonly jwt!: JwtKey;
  /** Ed25519 private key of this region (PKCS#8 DER, base64). */
  readonly signingKey!: string;
  readonly pseudonymSecret!: string;
  /** How far the clock runs ahead of real time (tests only). */
  readonly clockOffsetMs!: number;

  constructor(values: Omit<AppConfig, 'peers'>) {
    Object.assign(this, values);
  }

  get peers(): string[] {
    return this.registry.peersOf(this.region).map((region) => region.name);
  }
}

/** Reads and validates the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(service: ServiceName, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const dto = plainToInstance(EnvDto, pickDefined(readSecretFiles(env, cwd)));
  const errors = flattenValidationErrors(validateSync(dto, { skipMissingProperties: false }));
  if (errors.length > 0) {
    throw new ConfigError(errors.map((error) => error.messages[0]).join('; '));
  }

  let registry: RegionRegistry;
  try {
    registry = RegionRegistry.fromFile(resolve(cwd, dto.REGIONS_FILE));
  } catch (error) {
    if (error instanceof RegionRegistryError) throw new ConfigError(`REGIONS_FILE: ${error.message}`);
    throw error;
  }
  if (!registry.has(dto.REGION)) {
    throw new ConfigError(
      `REGION must be one of ${registry.names.join(', ')} (from ${dto.REGIONS_FILE}); got '${dto.REGION}'`,
    );
  }

  const production = dto.NODE_ENV === 'production';
  const jwt = jwtKey(dto, production);
  if (production && !dto.REGION_SIGNING_KEY) {
    throw new ConfigError("REGION_SIGNING_KEY is required in production: the region's Ed25519 private key");
  }
  if (production && !dto.PSEUDONYM_SECRET) {
    throw new ConfigError('PSEUDONYM_SECRET is required in production: the secret the regions share for pseudonyms');
  }

  const signingKey = dto.REGION_SIGNING_KEY ?? readDevSigningKey(cwd, dto.REGION);
  checkSigningKey(signingKey, registry, dto.REGION, dto.REGIONS_FILE);

  if (dto.CLOCK_OFFSET_MS !== undefined && dto.NODE_ENV !== 'test') {
    throw new ConfigError('CLOCK_OFFSET_MS is honoured only with NODE_ENV=test');
  }
  const pseudonymSecret = dto.PSEUDONYM_SECRET ?? DEV_PSEUDONYM_SECRET;
  if (!isLoopback(dto.HOST)) {
    const development = [
      jwt.kind === 'secret' &&
        jwt.secret === DEV_JWT_SECRET &&
        'AUTH_JWT_SECRET (or AUTH_JWT_PUBLIC_KEY, AUTH_JWKS_URL)',
      isDevSigningKey(cwd, signingKey) && 'REGION_SIGNING_KEY',
      pseudonymSecret === DEV_PSEUDONYM_SECRET && 'PSEUDONYM_SECRET',
    ].filter((name): name is string => typeof name === 'string');
    if (development.length > 0) {
      throw new ConfigError(
        `HOST ${dto.HOST} is not a loopback address, so ${development.join(', ')} must be set: ` +
          'the development secrets are in the source and must not serve other machines',
      );
    }
  }

  return new AppConfig({
    service,
    region: dto.REGION,
    registry,
    port: dto.PORT ?? registry.port(dto.REGION, service),
    host: dto.HOST,
    databaseUrl: dto.DATABASE_URL,
    kafkaBrokers: dto.KAFKA_BROKERS.split(','),
    kafkaSecurity: kafkaSecurity(dto, cwd),
    kafkaGroupPrefix: dto.KAFKA_GROUP_PREFIX,
    kafkaPartitions: dto.KAFKA_PARTITIONS,
    kafkaRetentionMs: dto.KAFKA_RETENTION_MS,
    databasePoolSize: dto.DATABASE_POOL_SIZE,
    heartbeatIntervalMs: dto.HEARTBEAT_INTERVAL_MS,
    kafkaMaxMessageBytes: dto.KAFKA_MAX_MESSAGE_BYTES,
    outboxMaxAgeMs: dto.BUS_OUTBOX_MAX_AGE_MS,
    logLevel: dto.LOG_LEVEL,
    environment: dto.NODE_ENV,
    jwt,
    signingKey,
    pseudonymSecret,
    clockOffsetMs: Number(dto.CLOCK_OFFSET_MS ?? 0),
  });
}

const KAFKA_SECURITY_VARIABLES = [
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
  'KAFKA_SASL_PASSWORD_FILE',
  'KAFKA_SSL',
  'KAFKA_SSL_CA_FILE',
];

/**
 * The Kafka client security of a process that is no service (the operator console), from the same variables,
 * validated the same way.
 */
export function kafkaSecurityFromEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): KafkaClientSecurity {
  const dto = plainToInstance(EnvDto, pickDefined(env));
  const errors = flattenValidationErrors(validateSync(dto, { skipMissingProperties: true })).filter((error) =>
    KAFKA_SECURITY_VARIABLES.includes(error.field),
  );
  if (errors.length > 0) throw new ConfigError(errors.map((error) => error.messages[0]).join('; '));
  return kafkaSecurity(dto, cwd);
}

function kafkaSecurity(dto: EnvDto, cwd: string): KafkaClientSecurity {
  const read = (variable: string, path: string) => {
    try {
      return readFileSync(resolve(cwd, path), 'utf8');
    } catch {
      throw new ConfigError(`${variable}: cannot read ${path}`);
    }
  };
  let ca: string | undefined;
  if (dto.KAFKA_SSL_CA_FILE) {
    if (dto.KAFKA_SSL !== 'true') throw new ConfigError('KAFKA_SSL_CA_FILE needs KAFKA_SSL=true');
    ca = read('KAFKA_SSL_CA_FILE', dto.KAFKA_SSL_CA_FILE);
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
      throw new ConfigError('KAFKA_SSL_CA_FILE must hold PEM certificates (-----BEGIN CERTIFICATE-----)');
    }
  }
  const ssl = dto.KAFKA_SSL === 'true' ? { ...(ca && { ca }) } : false;

  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username } = dto;
  if (!mechanism) {
    if (username || dto.KAFKA_SASL_PASSWORD || dto.KAFKA_SASL_PASSWORD_FILE) {
      throw new ConfigError('KAFKA_SASL_MECHANISM is required with KAFKA_SASL_USERNAME and its password');
    }
    return { ssl };
  }
  if (!username) throw new ConfigError('KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM');
  if (dto.KAFKA_SASL_PASSWORD && dto.KAFKA_SASL_PASSWORD_FILE) {
    throw new ConfigError('set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both');
  }
  // A secret file usually ends with a newline that is no part of the password.
  const password = dto.KAFKA_SASL_PASSWORD_FILE
    ? read('KAFKA_SASL_PASSWORD_FILE', dto.KAFKA_SASL_PASSWORD_FILE).replace(/\r?\n$/, '')
    : dto.KAFKA_SASL_PASSWORD;
  if (!password) {
    throw new ConfigError('KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE) is required with KAFKA_SASL_MECHANISM');
  }
  return { ssl, sasl: { mechanism, username, password } };
}

function jwtKey(dto: EnvDto, production: boolean): JwtKey {
  const policy: JwtPolicy = {
    issuer: dto.AUTH_JWT_ISSUER,
    audience: dto.AUTH_JWT_AUDIENCE,
    maxLifetimeSeconds: dto.AUTH_JWT_MAX_LIFETIME_SECONDS,
    clockSkewSeconds: dto.AUTH_JWT_CLOCK_SKEW_SECONDS,
  };
  const given = (['AUTH_JWKS_URL', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWT_SECRET'] as const).filter((name) => dto[name]);
  if (given.length > 1) {
    throw new ConfigError(`set only one of ${given.join(', ')}: tokens are verified one way`);
  }
  if (dto.AUTH_JWKS_URL) return { kind: 'jwks', jwksUrl: dto.AUTH_JWKS_URL, ...policy };
  if (dto.AUTH_JWT_PUBLIC_KEY) return { kind: 'public-key', publicKey: dto.AUTH_JWT_PUBLIC_KEY, ...policy };
  if (dto.AUTH_JWT_SECRET) return { kind: 'secret', secret: dto.AUTH_JWT_SECRET, ...policy };
  if (production) {
    throw new ConfigError('AUTH_JWT_PUBLIC_KEY (or AUTH_JWKS_URL, AUTH_JWT_SECRET) is required in production');
  }
  return { kind: 'secret', secret: DEV_JWT_SECRET, ...policy };
}

/**
 * The HS256 key the development tools sign tokens with (`npm run token`, `npm start`, the demo, the console):
 * AUTH_JWT_SECRET (or its _FILE) else the development secret, with the issuer, audience and lifetime the services check.
 */
export function devJwtKey(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): JwtKey & { kind: 'secret' } {
  const values = readSecretFiles(env, cwd);
  const lifetime = Number(values.AUTH_JWT_MAX_LIFETIME_SECONDS || 86_400);
  return {
    kind: 'secret',
    secret: values.AUTH_JWT_SECRET || DEV_JWT_SECRET,
    issuer: values.AUTH_JWT_ISSUER || DEV_JWT_ISSUER,
    audience: values.AUTH_JWT_AUDIENCE || DEV_JWT_AUDIENCE,
    maxLifetimeSeconds: Number.isInteger(lifetime) && lifetime > 0 ? lifetime : 86_400,
    clockSkewSeconds: 30,
  };
}

/** Replaces each `<NAME>_FILE` of a secret by `<NAME>` with the file's content (one trailing newline dropped). */
export function readSecretFiles(env: NodeJS.ProcessEnv, cwd = process.cwd()): NodeJS.ProcessEnv {
  const resolved: NodeJS.ProcessEnv = { ...env };
  for (const name of SECRET_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name]) throw new ConfigError(`set ${name} or ${name}_FILE, not both`);
    try {
      resolved[name] = readFileSync(resolve(cwd, file), 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new ConfigError(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    delete resolved[`${name}_FILE`];
  }
  return resolved;
}

/** Whether a listening address reaches this machine only. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '::ffff:127.0.0.1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

function isDevSigningKey(cwd: string, key: string): boolean {
  const dir = join(cwd, 'config', 'dev-keys');
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.ed25519'));
  } catch {
    return false;
  }
  return files.some((name) => readFileSync(join(dir, name), 'utf8').trim() === key.trim());
}

/** The key must be one of the region's keys in the registry, in force now: else every peer dead-letters its events. */
function checkSigningKey(signingKey: string, registry: RegionRegistry, region: string, regionsFile: string): void {
  let kid: string;
  try {
    const privateKey = createPrivateKey({ key: Buffer.from(signingKey, 'base64'), format: 'der', type: 'pkcs8' });
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${privateKey.asymmetricKeyType} key`);
    kid = signingKeyId(createPublicKey(privateKey));
  } catch (error) {
    throw new ConfigError(
      `REGION_SIGNING_KEY must be an Ed25519 private key, PKCS#8 DER in base64 (${(error as Error).message})`,
    );
  }
  const key = registry.key(region, kid);
  if (!key) {
    throw new ConfigError(`REGION_SIGNING_KEY: its key ${kid} is not one of ${region}'s keys in ${regionsFile}`);
  }
  if (!keyInForce(key, new Date())) {
    const until = key.notAfter?.toISOString() ?? 'no end';
    throw new ConfigError(
      `REGION_SIGNING_KEY: key ${kid} of ${region} is in force from ${key.notBefore.toISOString()} until ${until}, not now`,
    );
  }
}

function readDevSigningKey(cwd: string, region: string): string {
  const path = join(cwd, 'config', 'dev-keys', `${region}.ed25519`);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    throw new ConfigError(`REGION_SIGNING_KEY is not set and there is no development key at ${path}`);
  }
}

function pickDefined(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')) as Record<
    string,
    string
  >;
}
