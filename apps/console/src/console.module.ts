import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { LoggerModule } from 'nestjs-pino';
import { ProblemDetailsFilter, createValidationPipe, jwtModuleOptions } from '@app/http';
import { ConsoleConfig } from './console.config';
import { ConsoleController, ConsoleHealthController } from './console.controller';
import { FeedService } from './feed/feed.service';
import { FleetService } from './fleet/fleet.service';
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
        JwtModule.register(jwtModuleOptions(config)),
      ],
      controllers: [ConsoleController, ConsoleHealthController, SessionController],
      providers: [
        { provide: ConsoleConfig, useValue: config },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: SessionGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        ConsoleSessionStore,
        OperatorTokenVerifier,
        FleetService,
        FeedService,
      ],
    };
  }
}
