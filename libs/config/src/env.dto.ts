import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';

/** Defaults of the development tokens' `iss` and `aud`; production sets its identity provider's. */
export const DEV_JWT_ISSUER = 'shuanglai-dev';
export const DEV_JWT_AUDIENCE = 'shuanglai-bus';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

/** The environment a service reads, validated once at boot. Names are the variables' own. */
export class EnvDto {
  @IsString({ message: 'REGION is required: the name of a region in the region registry (e.g. laixi)' })
  REGION!: string;

  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'DATABASE_URL must be a PostgreSQL URL such as postgres://user@127.0.0.1:5432/dbname',
  })
  DATABASE_URL!: string;

  @Matches(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, {
    message: 'KAFKA_BROKERS must be a comma-separated list of host:port, e.g. 127.0.0.1:9092',
  })
  KAFKA_BROKERS!: string;

  @IsOptional()
  @IsString()
  REGIONS_FILE: string = 'config/regions.json';

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'PORT must be a whole number from 1 to 65535' })
  @Min(1, { message: 'PORT must be a whole number from 1 to 65535' })
  @Max(65535, { message: 'PORT must be a whole number from 1 to 65535' })
  PORT?: number;

  /** The interface to listen on; a non-loopback one refuses the development secrets. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9.:-]{1,253}$/, { message: 'HOST must be an IP address or a host name, e.g. 127.0.0.1' })
  HOST: string = '127.0.0.1';

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be a whole number from 1 to 50' })
  @Min(1, { message: 'DATABASE_POOL_SIZE must be a whole number from 1 to 50' })
  @Max(50, { message: 'DATABASE_POOL_SIZE must be a whole number from 1 to 50' })
  DATABASE_POOL_SIZE: number = 10;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL: string = 'info';

  @IsOptional()
  @IsIn(['development', 'production', 'test'], { message: 'NODE_ENV must be development, production or test' })
  NODE_ENV: string = 'development';

  /** HS256 secret for bearer tokens; in production use AUTH_JWT_PUBLIC_KEY (the bureau IdP's key) instead. */
  @IsOptional()
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

  /** PEM public key (RS256/ES256/EdDSA) of the identity provider that issues bearer tokens. */
  @IsOptional()
  @Matches(/-----BEGIN PUBLIC KEY-----/, { message: 'AUTH_JWT_PUBLIC_KEY must be a PEM public key' })
  AUTH_JWT_PUBLIC_KEY?: string;

  /** URL of the JSON Web Key Set of the identity provider that issues bearer tokens (RS256, ES256, EdDSA). */
  @IsOptional()
  @IsUrl(
    { protocols: ['https', 'http'], require_protocol: true, require_tld: false },
    { message: 'AUTH_JWKS_URL must be an http(s) URL of a JSON Web Key Set' },
  )
  AUTH_JWKS_URL?: string;

  /** The `iss` every bearer token must carry. */
  @IsOptional()
  @Matches(/^\S{1,500}$/, { message: 'AUTH_JWT_ISSUER must be a non-empty string without spaces' })
  AUTH_JWT_ISSUER: string = DEV_JWT_ISSUER;

  /** The `aud` every bearer token must name. */
  @IsOptional()
  @Matches(/^\S{1,500}$/, { message: 'AUTH_JWT_AUDIENCE must be a non-empty string without spaces' })
  AUTH_JWT_AUDIENCE: string = DEV_JWT_AUDIENCE;

  /** The longest a bearer token may live (exp − iat). */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'AUTH_JWT_MAX_LIFETIME_SECONDS must be a whole number of seconds from 60 to 604800' })
  @Min(60, { message: 'AUTH_JWT_MAX_LIFETIME_SECONDS must be a whole number of seconds from 60 to 604800' })
  @Max(604_800, { message: 'AUTH_JWT_MAX_LIFETIME_SECONDS must be a whole number of seconds from 60 to 604800' })
  AUTH_JWT_MAX_LIFETIME_SECONDS: number = 86_400;

  /** How far the issuer's clock may differ from ours when checking exp, nbf and iat. */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'AUTH_JWT_CLOCK_SKEW_SECONDS must be a whole number of seconds from 0 to 300' })
  @Min(0, { message: 'AUTH_JWT_CLOCK_SKEW_SECONDS must be a whole number of seconds from 0 to 300' })
  @Max(300, { message: 'AUTH_JWT_CLOCK_SKEW_SECONDS must be a whole number of seconds from 0 to 300' })
  AUTH_JWT_CLOCK_SKEW_SECONDS: number = 30;

  /** This region's Ed25519 private key (PKCS#8 DER, base64). Defaults to config/dev-keys/<region> outside production. */
  @IsOptional()
  @IsString()
  REGION_SIGNING_KEY?: string;

  /** Secret the regions share for keyed pseudonyms of resident IDs (HMAC-SHA256). */
  @IsOptional()
  @MinLength(32, { message: 'PSEUDONYM_SECRET must be at least 32 characters' })
  PSEUDONYM_SECRET?: string;

  /** Prefix of Kafka consumer group ids, so that test runs and stacks sharing a cluster never collide. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]*$/, {
    message: 'KAFKA_GROUP_PREFIX may contain only letters, digits, dot, dash, underscore',
  })
  KAFKA_GROUP_PREFIX: string = '';

  /** Partitions of the topics this region creates (its own domain topics and dead letters). */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'KAFKA_PARTITIONS must be a whole number from 1 to 100' })
  @Min(1, { message: 'KAFKA_PARTITIONS must be a whole number from 1 to 100' })
  @Max(100, { message: 'KAFKA_PARTITIONS must be a whole number from 1 to 100' })
  KAFKA_PARTITIONS: number = 3;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'HEARTBEAT_INTERVAL_MS must be a whole number of milliseconds from 100 to 3600000' })
  @Min(100, { message: 'HEARTBEAT_INTERVAL_MS must be a whole number of milliseconds from 100 to 3600000' })
  @Max(3_600_000, { message: 'HEARTBEAT_INTERVAL_MS must be a whole number of milliseconds from 100 to 3600000' })
  HEARTBEAT_INTERVAL_MS: number = 10_000;

  /** Tests only (NODE_ENV=test): how far the service's clock runs ahead of real time, so deadlines can pass. */
  @IsOptional()
  @Matches(/^-?\d{1,15}$/, { message: 'CLOCK_OFFSET_MS must be a whole number of milliseconds' })
  CLOCK_OFFSET_MS?: string;
}
