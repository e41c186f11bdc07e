import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
const toSignedInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

const DAY_MS = 24 * 60 * 60 * 1000;
const RETENTION_MESSAGE =
  'KAFKA_RETENTION_MS must be -1 (forever) or a whole number of milliseconds from 3600000 (1 h)';

/** -1, or at least an hour: shorter would refuse as stale the events of any brief outage. */
@ValidatorConstraint({ name: 'retentionMs' })
class RetentionMs implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return value === -1 || (typeof value === 'number' && value >= 3_600_000 && Number.isSafeInteger(value));
  }
}

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

  /**
   * How long the region's topics keep events (`retention.ms` of the topics it creates); an event older than this
   * is refused as stale, and inbox rows are kept this long. -1 keeps events forever (and every inbox row).
   */
  @IsOptional()
  @Transform(toSignedInt)
  @IsInt({ message: RETENTION_MESSAGE })
  @Validate(RetentionMs, { message: RETENTION_MESSAGE })
  KAFKA_RETENTION_MS: number = 30 * DAY_MS;

  /** Connections this instance's pool may hold on its database: its share of the server's max_connections. */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be a whole number from 1 to 100' })
  @Min(1, { message: 'DATABASE_POOL_SIZE must be a whole number from 1 to 100' })
  @Max(100, { message: 'DATABASE_POOL_SIZE must be a whole number from 1 to 100' })
  DATABASE_POOL_SIZE: number = 5;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'HEARTBEAT_INTERVAL_MS must be a whole number of milliseconds from 100 to 3600000' })
  @Min(100, { message: 'HEARTBEAT_INTERVAL_MS must be a whole number of milliseconds from 100 to 3600000' })
  @Max(3_600_000, { message: 'HEARTBEAT_INTERVAL_MS must be a whole number of milliseconds from 100 to 3600000' })
  HEARTBEAT_INTERVAL_MS: number = 10_000;

  /**
   * The largest produce request the relay sends, and so the largest event the bus accepts, in bytes. It must stay
   * below the broker's (and each topic's) `message.max.bytes` and, with MirrorMaker 2, its producer's
   * `max.request.size`; the default leaves a margin under Kafka's defaults (1048588 and 1048576).
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'KAFKA_MAX_MESSAGE_BYTES must be a whole number of bytes from 16384 to 104857600' })
  @Min(16_384, { message: 'KAFKA_MAX_MESSAGE_BYTES must be a whole number of bytes from 16384 to 104857600' })
  @Max(104_857_600, { message: 'KAFKA_MAX_MESSAGE_BYTES must be a whole number of bytes from 16384 to 104857600' })
  KAFKA_MAX_MESSAGE_BYTES: number = 1_000_000;

  /** An outbox whose oldest pending event waits longer than this makes /health answer 503 (the bus is stuck). */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'BUS_OUTBOX_MAX_AGE_MS must be a whole number of milliseconds from 1000 to 86400000' })
  @Min(1000, { message: 'BUS_OUTBOX_MAX_AGE_MS must be a whole number of milliseconds from 1000 to 86400000' })
  @Max(86_400_000, { message: 'BUS_OUTBOX_MAX_AGE_MS must be a whole number of milliseconds from 1000 to 86400000' })
  BUS_OUTBOX_MAX_AGE_MS: number = 60_000;

  /** Tests only (NODE_ENV=test): how far the service's clock runs ahead of real time, so deadlines can pass. */
  @IsOptional()
  @Matches(/^-?\d{1,15}$/, { message: 'CLOCK_OFFSET_MS must be a whole number of milliseconds' })
  CLOCK_OFFSET_MS?: string;
}
