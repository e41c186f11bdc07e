import { resolve } from 'node:path';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import {
  ConfigError,
  JwtKey,
  KafkaClientSecurity,
  devJwtKey,
  kafkaSecurityFromEnv,
  loadServiceConfig,
  readSecretFiles,
} from '@app/config';
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
  /** TLS and SASL of the feed's Kafka client (KAFKA_SASL_*, KAFKA_SSL*: the console's own principal). */
  kafkaSecurity: KafkaClientSecurity;
  kafkaGroupId: string;
  pollIntervalMs: number;
  /** Operator bearer token per region: given (production), or signed with the shared HS256 secret. */
  tokenFor: (region: string) => string;
  /** The console's own region: only its operators may log in. */
  region: string;
  /** How login tokens are checked: the same key the services check bearer tokens with. */
  jwt: JwtKey;
  /** `Host` values the console answers to (`host:port`, lower case); anything else is refused (DNS rebinding). */
  allowedHosts: string[];
  /** `Origin` values a request may carry; a state-changing request must carry one of them. */
  allowedOrigins: string[];
  /** Longest life of a login session (it also ends when the token it was opened with expires). */
  sessionTtlSeconds: number;
}

/** Typed configuration of the operator console, validated once at boot. */
export class ConsoleConfig implements ConsoleConfigValues {
  readonly port!: number;
  readonly host!: string;
  readonly registry!: RegionRegistry;
  readonly targets!: ConsoleTarget[];
  readonly kafkaBrokers?: string[];
  readonly kafkaSecurity!: KafkaClientSecurity;
  readonly kafkaGroupId!: string;
  readonly pollIntervalMs!: number;
  readonly tokenFor!: (region: string) => string;
  readonly region!: string;
  readonly jwt!: JwtKey;
  readonly allowedHosts!: string[];
  readonly allowedOrigins!: string[];
  readonly sessionTtlSeconds!: number;

  constructor(values: ConsoleConfigValues) {
    Object.assign(this, values);
  }

  /** Session cookies are `Secure` when the console is only reached over TLS (every allowed origin is https). */
  get secureCookies(): boolean {
    return this.allowedOrigins.every((origin) => origin.startsWith('https://'));
  }
}

const TOKEN_TTL_SECONDS = 12 * 60 * 60;

const wholeNumber = (name: string, min: number, max: number) => ({
  message: `${name} must be a whole number from ${min} to ${max}`,
});

/**
 * The console's own environment variables, validated once at boot (the shared KAFKA_SASL_*, KAFKA_SSL* and AUTH_*
 * ones are read as the services read them). An empty variable counts as unset.
 */
export class ConsoleEnv {
  @IsInt(wholeNumber('PORT', 1, 65535))
  @Min(1, wholeNumber('PORT', 1, 65535))
  @Max(65535, wholeNumber('PORT', 1, 65535))
  PORT: number = 3000;

  /** Interface to listen on. */
  @IsString()
  CONSOLE_HOST: string = '127.0.0.1';

  @IsString()
  REGIONS_FILE: string = 'config/regions.json';

  /** Each service's URL: `{port}`, `{region}` and `{service}` are replaced. */
  @Matches(/^https?:\/\/\S+$/, {
    message: 'SERVICE_URL_TEMPLATE must be an http(s) URL with {port}, {region} or {service} in it',
  })
  SERVICE_URL_TEMPLATE: string = 'http://127.0.0.1:{port}';

  /** The live feed's Kafka; unset, no live feed. */
  @IsOptional()
  @Matches(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, {
    message: 'KAFKA_BROKERS must be a comma-separated list of host:port, e.g. 127.0.0.1:9092',
  })
  KAFKA_BROKERS?: string;

  @IsOptional()
  @IsString()
  KAFKA_GROUP_PREFIX?: string;

  @IsInt(wholeNumber('POLL_INTERVAL_MS', 200, 600_000))
  @Min(200, wholeNumber('POLL_INTERVAL_MS', 200, 600_000))
  @Max(600_000, wholeNumber('POLL_INTERVAL_MS', 200, 600_000))
  POLL_INTERVAL_MS: number = 2000;

  /** The console's own region (its operators log in); the registry's first region when unset. */
  @IsOptional()
  @IsString()
  CONSOLE_REGION?: string;

  /** Comma-separated `host[:port]`; the loopback addresses on PORT when unset. */
  @IsOptional()
  @IsString()
  CONSOLE_ALLOWED_HOSTS?: string;

  /** Comma-separated origins; `http://` each allowed host when unset. */
  @IsOptional()
  @IsString()
  CONSOLE_ALLOWED_ORIGINS?: string;

  @IsInt(wholeNumber('CONSOLE_SESSION_TTL_SECONDS', 60, 24 * 60 * 60))
  @Min(60, wholeNumber('CONSOLE_SESSION_TTL_SECONDS', 60, 24 * 60 * 60))
  @Max(24 * 60 * 60, wholeNumber('CONSOLE_SESSION_TTL_SECONDS', 60, 24 * 60 * 60))
  CONSOLE_SESSION_TTL_SECONDS: number = 8 * 60 * 60;

  /** JSON object of region name to operator bearer token; required in production. */
  @IsOptional()
  @IsString()
  OPERATOR_TOKENS?: string;

  @IsOptional()
  @IsString()
  NODE_ENV?: string;
}

/**
 * Reads the console's environment (ConsoleEnv: PORT 3000, CONSOLE_HOST 127.0.0.1, REGIONS_FILE, KAFKA_BROKERS for
 * the live feed, SERVICE_URL_TEMPLATE, OPERATOR_TOKENS, POLL_INTERVAL_MS 2000, KAFKA_GROUP_PREFIX, CONSOLE_REGION,
 * CONSOLE_ALLOWED_HOSTS, CONSOLE_ALLOWED_ORIGINS, CONSOLE_SESSION_TTL_SECONDS 8 h), plus AUTH_JWT_SECRET (else the
 * development secret) or AUTH_JWT_PUBLIC_KEY for login tokens, and what follows from them: the registry's targets.
 */
export function loadConsoleConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ConsoleConfig {
  const vars = loadServiceConfig(ConsoleEnv, env);
  const port = vars.PORT;
  let registry: RegionRegistry;
  try {
    registry = RegionRegistry.fromFile(resolve(cwd, vars.REGIONS_FILE));
  } catch (error) {
    if (error instanceof RegionRegistryError) throw new ConfigError(`REGIONS_FILE: ${error.message}`);
    throw error;
  }

  const template = vars.SERVICE_URL_TEMPLATE;
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

  const host = vars.CONSOLE_HOST;
  const region = vars.CONSOLE_REGION ?? registry.names[0];
  if (!registry.has(region)) {
    throw new ConfigError(`CONSOLE_REGION must be one of ${registry.names.join(', ')}; got '${region}'`);
  }
  const allowedHosts =
    list(vars, 'CONSOLE_ALLOWED_HOSTS', /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i)?.map((allowed) =>
      allowed.toLowerCase(),
    ) ??
    [...new Set([...LOOPBACK_NAMES, ...(WILDCARDS.has(host) ? [] : [host.includes(':') ? `[${host}]` : host])])].map(
      (name) => `${name.toLowerCase()}:${port}`,
    );
  const allowedOrigins =
    list(vars, 'CONSOLE_ALLOWED_ORIGINS', /^https?:\/\/\S+$/) ?? allowedHosts.map((allowed) => `http://${allowed}`);
  for (const origin of allowedOrigins) {
    if (new URL(origin).origin !== origin) {
      throw new ConfigError(`CONSOLE_ALLOWED_ORIGINS: '${origin}' is not an origin (scheme://host[:port], no path)`);
    }
  }

  return new ConsoleConfig({
    port,
    host,
    registry,
    targets,
    kafkaBrokers: vars.KAFKA_BROKERS?.split(','),
    kafkaSecurity: kafkaSecurityFromEnv(env),
    kafkaGroupId: `${vars.KAFKA_GROUP_PREFIX ?? ''}console`,
    pollIntervalMs: vars.POLL_INTERVAL_MS,
    tokenFor: operatorTokens(vars, registry, env),
    region,
    jwt: loginKey(env, vars),
    allowedHosts,
    allowedOrigins,
    sessionTtlSeconds: vars.CONSOLE_SESSION_TTL_SECONDS,
  });
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::']);

/**
 * The key the services check bearer tokens with, from the same variables (`*_FILE` included) and with the same
 * issuer, audience and lifetime rules, so a login token is checked as they would check it.
 */
function loginKey(env: NodeJS.ProcessEnv, vars: ConsoleEnv): JwtKey {
  const values = readSecretFiles(env);
  const { issuer, audience, maxLifetimeSeconds, clockSkewSeconds } = devJwtKey(env);
  const policy = { issuer, audience, maxLifetimeSeconds, clockSkewSeconds };
  if (values.AUTH_JWKS_URL) return { kind: 'jwks', jwksUrl: values.AUTH_JWKS_URL, ...policy };
  if (values.AUTH_JWT_PUBLIC_KEY) return { kind: 'public-key', publicKey: values.AUTH_JWT_PUBLIC_KEY, ...policy };
  if (values.AUTH_JWT_SECRET) return { kind: 'secret', secret: values.AUTH_JWT_SECRET, ...policy };
  if (vars.NODE_ENV === 'production') {
    throw new ConfigError(
      'AUTH_JWT_PUBLIC_KEY (or AUTH_JWKS_URL, AUTH_JWT_SECRET) is required in production: operators log in with it',
    );
  }
  return devJwtKey(env);
}

function list(
  vars: ConsoleEnv,
  name: 'CONSOLE_ALLOWED_HOSTS' | 'CONSOLE_ALLOWED_ORIGINS',
  item: RegExp,
): string[] | undefined {
  const raw = vars[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const values = raw.split(',').map((value) => value.trim());
  const bad = values.find((value) => !item.test(value));
  if (bad !== undefined) throw new ConfigError(`${name}: '${bad}' is not allowed here (comma-separated list)`);
  return values;
}

/** Production hands the console tokens from the identity provider; elsewhere it signs its own, like `npm run token`. */
function operatorTokens(
  vars: ConsoleEnv,
  registry: RegionRegistry,
  env: NodeJS.ProcessEnv,
): (region: string) => string {
  if (vars.OPERATOR_TOKENS) {
    let given: unknown;
    try {
      given = JSON.parse(vars.OPERATOR_TOKENS);
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
  if (vars.NODE_ENV === 'production') {
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
