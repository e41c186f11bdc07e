import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ProblemDetailsFilter, TokenVerifier, createValidationPipe } from '@app/http';
import { AccessReportsService } from './access-reports/access-reports.service';
import { ConsoleConfig } from './console.config';
import { ConsoleController, ConsoleHealthController } from './console.controller';
import { FeedService } from './feed/feed.service';
import { FleetService } from './fleet/fleet.service';
import { OpenCasesService } from './open-cases/open-cases.service';
import { OperatorTokenVerifier } from './session/operator-token.verifier';
import { SessionController } from './session/session.controller';
import { SessionGuard } from './session/session.guard';
import { ConsoleSessionStore } from './session/session.store';

@Module({})
export class ConsoleModule {
  static register(config: ConsoleConfig, logLevel = 'info'): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: logLevel,
            base: { service: 'console' },
            autoLogging: { ignore: (request) => /^\/(api\/|health)/.test(request.url ?? '') },
          },
        }),
      ],
      controllers: [ConsoleController, ConsoleHealthController, SessionController],
      providers: [
        { provide: ConsoleConfig, useValue: config },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: SessionGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        ConsoleSessionStore,
        { provide: TokenVerifier, useValue: new TokenVerifier(config) },
        OperatorTokenVerifier,
        FleetService,
        FeedService,
        AccessReportsService,
        OpenCasesService,
      ],
    };
  }
}
