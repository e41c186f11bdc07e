import { resolve } from 'node:path';
import { ConfigError, devJwtKey } from '@app/config';
import { RegionRegistry, RegionRegistryError, SERVICE_NAMES, ServiceName } from '@app/contracts';
import { signDevToken } from '@app/http';

/** One service instance the console watches. */
export interface ConsoleTarget {
  region: string;
  service: ServiceName;
  url: string;
}

export interface ConsoleConfigValues {
  port: number;
  /** Interface to listen on: loopback unless told otherwise, since the page can replay dead letters. */
  host: string;
  registry: RegionRegistry;
  targets: ConsoleTarget[];
  /** Unset: no live feed (the rest of the console works from the services' HTTP APIs alone). */
  kafkaBrokers?: string[];
  kafkaGroupId: string;
  pollIntervalMs: number;
  /** Operator bearer token per region: given (production), or signed with the shared HS256 secret. */
  tokenFor: (region: string) => string;
}

/** Typed configuration of the operator console, validated once at boot. */
export class ConsoleConfig implements ConsoleConfigValues {
  readonly port!: number;
  readonly host!: string;
  readonly registry!: RegionRegistry;
  readonly targets!: ConsoleTarget[];
  readonly kafkaBrokers?: string[];
  readonly kafkaGroupId!: string;
  readonly pollIntervalMs!: number;
  readonly tokenFor!: (region: string) => string;

  constructor(values: ConsoleConfigValues) {
    Object.assign(this, values);
  }
}

const TOKEN_TTL_SECONDS = 12 * 60 * 60;

/**
 * Reads the console's environment: PORT (3000), CONSOLE_HOST (127.0.0.1), REGIONS_FILE, KAFKA_BROKERS (live feed),
 * SERVICE_URL_TEMPLATE (`http://127.0.0.1:{port}`; also {region}, {service}), OPERATOR_TOKENS (JSON region → token;
 * required in production), AUTH_JWT_SECRET (else the development secret), POLL_INTERVAL_MS (2000),
 * KAFKA_GROUP_PREFIX.
 */
export function loadConsoleConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ConsoleConfig {
  const port = wholeNumber(env, 'PORT', 3000, 1, 65535);
  const pollIntervalMs = wholeNumber(env, 'POLL_INTERVAL_MS', 2000, 200, 600_000);
  const regionsFile = env.REGIONS_FILE || 'config/regions.json';
  let registry: RegionRegistry;
  try {
    registry = RegionRegistry.fromFile(resolve(cwd, regionsFile));
  } catch (error) {
    if (error instanceof RegionRegistryError) throw new ConfigError(`REGIONS_FILE: ${error.message}`);
    throw error;
  }

  const template = env.SERVICE_URL_TEMPLATE || 'http://127.0.0.1:{port}';
  if (!/^https?:\/\/\S+$/.test(template)) {
    throw new ConfigError('SERVICE_URL_TEMPLATE must be an http(s) URL with {port}, {region} or {service} in it');
  }
  const targets = registry.names.flatMap((region) =>
    SERVICE_NAMES.map((service) => ({
      region,
      service,
      url: template
        .replaceAll('{region}', region)
        .replaceAll('{service}', service)
        .replaceAll('{port}', String(registry.port(region, service))),
    })),
  );

  const brokers = env.KAFKA_BROKERS;
  if (brokers && !/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/.test(brokers)) {
    throw new ConfigError('KAFKA_BROKERS must be a comma-separated list of host:port, e.g. 127.0.0.1:9092');
  }

  return new ConsoleConfig({
    port,
    host: env.CONSOLE_HOST || '127.0.0.1',
    registry,
    targets,
    kafkaBrokers: brokers ? brokers.split(',') : undefined,
    kafkaGroupId: `${env.KAFKA_GROUP_PREFIX ?? ''}console`,
    pollIntervalMs,
    tokenFor: operatorTokens(env, registry),
  });
}

/** Production hands the console tokens from the identity provider; elsewhere it signs its own, like `npm run token`. */
export function operatorTokens(env: NodeJS.ProcessEnv, registry: RegionRegistry): (region: string) => string {
  if (env.OPERATOR_TOKENS) {
    let given: unknown;
    try {
      given = JSON.parse(env.OPERATOR_TOKENS);
    } catch {
      throw new ConfigError('OPERATOR_TOKENS must be a JSON object of region name to bearer token');
    }
    const tokens = given as Record<string, unknown>;
    for (const region of registry.names) {
      if (typeof tokens?.[region] !== 'string') {
        throw new ConfigError(`OPERATOR_TOKENS has no token for region '${region}'`);
      }
    }
    return (region) => tokens[region] as string;
  }
  if (env.NODE_ENV === 'production') {
    throw new ConfigError('OPERATOR_TOKENS is required in production: a JSON object of region name to operator token');
  }
  const jwt = devJwtKey(env);
  const signed = new Map<string, { token: string; at: number }>();
  return (region) => {
    const cached = signed.get(region);
    // Signed again well before it expires, so a console left open for days keeps working.
    if (cached && Date.now() - cached.at < (TOKEN_TTL_SECONDS * 1000) / 2) return cached.token;
    const token = signDevToken(
      { role: 'operator', region, org: `${region}-operator-console`, sub: 'console', ttlSeconds: TOKEN_TTL_SECONDS },
      { jwt, registry },
    );
    signed.set(region, { token, at: Date.now() });
    return token;
  };
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got '${raw}'`);
  }
  return value;
}
