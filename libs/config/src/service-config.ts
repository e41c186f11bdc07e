import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { flattenValidationErrors } from '@app/contracts';
import { ConfigError } from './app-config';

type ConfigClass<T> = new () => T;

/**
 * A service's own settings, beyond the shared AppConfig: one class per service (`apps/<svc>/src/<svc>.config.ts`)
 * whose properties are the environment variables' names, with class-validator rules and defaults, the way
 * `EnvDto` declares the shared ones. Only the class's variables are read; a property typed `number` (annotate it:
 * `TIMEOUT_MS: number = 600_000`) is converted from its text.
 * A bad value throws a ConfigError naming each variable, which stops the service at boot.
 */
export function loadServiceConfig<T extends object>(
  configClass: ConfigClass<T>,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const names = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(configClass, '', true, false)
      .map((metadata) => metadata.propertyName),
  );
  const values = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => names.has(name) && value !== undefined && value !== ''),
  );
  const config = plainToInstance(configClass, values, { enableImplicitConversion: true });
  check(config, (field, message) => (message.startsWith(field) ? message : `${field}: ${message}`));
  return config;
}

/** A configuration document (a JSON file's content) as an instance of its class, or a ConfigError naming each field. */
export function validateConfig<T extends object>(configClass: ConfigClass<T>, value: unknown, source: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${source}: must be a JSON object`);
  }
  const config = plainToInstance(configClass, value);
  check(config, (field, message) => `${source}: ${field}: ${message}`);
  return config;
}

function check(config: object, describe: (field: string, message: string) => string): void {
  const errors = flattenValidationErrors(validateSync(config, { forbidUnknownValues: true }));
  if (errors.length > 0) {
    throw new ConfigError(errors.map(({ field, messages }) => describe(field, messages[0])).join('; '));
  }
}
