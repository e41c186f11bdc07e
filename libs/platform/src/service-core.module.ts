import { DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { AUDIT_MIGRATIONS, AuditModule } from '@app/audit';
import { BUS_MIGRATIONS, BusModule } from '@app/bus';
import { AppConfig, AppConfigModule } from '@app/config';
import { DatabaseModule, DatabaseModuleOptions } from '@app/database';
import { HttpCoreModule } from '@app/http';
import { Clock } from './clock';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { metricsRegistryProvider } from './metrics.provider';

/**
 * What every service instance has: its validated configuration, JSON logs, its own database, the bus, HTTP
 * authentication and problem details, /health and /metrics, and the clock.
 * Global, so that feature modules can inject its configuration and metrics registry. A service's AppModule imports this plus its features.
 */
@Global()
@Module({})
export class ServiceCoreModule {
  static forRoot(config: AppConfig, database: DatabaseModuleOptions): DynamicModule {
    return {
      module: ServiceCoreModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            base: { region: config.region, service: config.service },
            autoLogging: { ignore: (request) => ['/health', '/metrics'].includes(request.url ?? '') },
            redact: ['req.headers.authorization'],
          },
        }),
        DatabaseModule.forRoot({
          ...database,
          migrations: [...BUS_MIGRATIONS, ...AUDIT_MIGRATIONS, ...database.migrations],
        }),
        BusModule,
        AuditModule.forRoot(),
        HttpCoreModule,
        TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [metricsRegistryProvider, Clock],
      exports: [BusModule, AuditModule, metricsRegistryProvider, Clock],
    };
  }
}
