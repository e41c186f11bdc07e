import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ProblemDetailsFilter } from '@app/http';
import { ConsoleConfig } from './console.config';
import { ConsoleController, ConsoleHealthController } from './console.controller';
import { FeedService } from './feed/feed.service';
import { FleetService } from './fleet/fleet.service';

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
      controllers: [ConsoleController, ConsoleHealthController],
      providers: [
        { provide: ConsoleConfig, useValue: config },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        FleetService,
        FeedService,
      ],
    };
  }
}
