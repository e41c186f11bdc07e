import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@app/config';
import { EntitySchema, MigrationInterface } from 'typeorm';
import { guardedPg } from './database-errors';
import { ensureDatabase } from './database-url';

export interface DatabaseModuleOptions {
  entities: (EntitySchema | (new () => object))[];
  migrations: (new () => MigrationInterface)[];
}

/**
 * The service's own PostgreSQL database: created if missing, its schema brought up to date by migrations at
 * start-up (never `synchronize`), through a pool of `DATABASE_POOL_SIZE` connections.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: async (config: AppConfig) => {
            await ensureDatabase(config.databaseUrl);
            return {
              type: 'postgres' as const,
              url: config.databaseUrl,
              entities: options.entities,
              migrations: options.migrations,
              migrationsRun: true,
              migrationsTransactionMode: 'each' as const,
              synchronize: false,
              applicationName: `${config.region}/${config.service}`,
              // A connection the pool cannot hand out within the timeout is a DatabaseUnavailableError (HTTP 503).
              driver: guardedPg,
              extra: { max: config.databasePoolSize, connectionTimeoutMillis: 5000 },
            };
          },
        }),
      ],
    };
  }
}
