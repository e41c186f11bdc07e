import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
import { EnvDto } from './env.dto';

/** A configuration problem: its message is the one line an operator needs, naming the variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
}

/** Development defaults only: production must set its own secrets (checked in `loadConfig`). */
export const DEV_JWT_SECRET = 'shuanglai-dev-only-jwt-secret-do-not-use-in-production';
const DEV_PSEUDONYM_SECRET = 'shuanglai-dev-only-pseudonym-secret-do-not-use-in-production';

export type JwtKey = { kind: 'secret'; secret: string } | { kind: 'public-key'; publicKey: string };

/** Typed, validated configuration of one service instance (one region, one service). */
export class AppConfig {
  readonly service!: ServiceName;
  readonly region!: string;
  readonly registry!: RegionRegistry;
  readonly port!: number;
  readonly databaseUrl!: string;
  readonly kafkaBrokers!: string[];
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
  const dto = plainToInstance(EnvDto, pickDefined(env));
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

  return new AppConfig({
    service,
    region: dto.REGION,
    registry,
    port: dto.PORT ?? registry.port(dto.REGION, service),
    databaseUrl: dto.DATABASE_URL,
    kafkaBrokers: dto.KAFKA_BROKERS.split(','),
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
    pseudonymSecret: dto.PSEUDONYM_SECRET ?? DEV_PSEUDONYM_SECRET,
    clockOffsetMs: Number(dto.CLOCK_OFFSET_MS ?? 0),
  });
}

function jwtKey(dto: EnvDto, production: boolean): JwtKey {
  if (dto.AUTH_JWT_PUBLIC_KEY) return { kind: 'public-key', publicKey: dto.AUTH_JWT_PUBLIC_KEY };
  if (dto.AUTH_JWT_SECRET) return { kind: 'secret', secret: dto.AUTH_JWT_SECRET };
  if (production) {
    throw new ConfigError('AUTH_JWT_PUBLIC_KEY (or AUTH_JWT_SECRET) is required in production');
  }
  return { kind: 'secret', secret: DEV_JWT_SECRET };
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
