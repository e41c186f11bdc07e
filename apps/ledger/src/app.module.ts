import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, loadServiceConfig } from '@app/config';
import { ServiceCoreModule } from '@app/platform';
import { DeclarationRepository } from './declarations/declaration.repository';
import { DeclarationsProjectionService } from './declarations/declarations-projection.service';
import { DeclarationsQueriesService } from './declarations/declarations-queries.service';
import { DeclarationsController } from './declarations/declarations.controller';
import { DeclarationsService } from './declarations/declarations.service';
import { LedgerConfig } from './ledger.config';
import { LedgerMetrics } from './ledger.metrics';
import { CheckpointSigner } from './log/checkpoint-signer';
import { ApplyEntryWhenEntryAppendedHandler } from './log/events/apply-entry-when-entry-appended.handler';
import { RecordWhenHeadCosignedHandler } from './log/events/record-when-head-cosigned.handler';
import { RecordWhenHeadRefusedHandler } from './log/events/record-when-head-refused.handler';
import { WitnessWhenHeadSubmittedHandler } from './log/events/witness-when-head-submitted.handler';
import { LedgerEntriesProjectionService } from './log/ledger-entries-projection.service';
import { LogCheckService } from './log/log-check.service';
import { LogProjectionService } from './log/log-projection.service';
import { LogQueriesService } from './log/log-queries.service';
import { LogController } from './log/log.controller';
import { LogRepository } from './log/log.repository';
import { LogService } from './log/log.service';
import { LEDGER_MIGRATIONS } from './migrations';
import { ProjectRepository } from './projects/project.repository';
import { ProjectsProjectionService } from './projects/projects-projection.service';
import { ProjectsQueriesService } from './projects/projects-queries.service';
import { ProjectsController } from './projects/projects.controller';
import { ProjectsService } from './projects/projects.service';
import { StatisticsQueriesService } from './statistics/statistics-queries.service';
import { StatisticsController } from './statistics/statistics.controller';
import { StatisticsRepository } from './statistics/statistics.repository';

@Module({})
export class LedgerAppModule {
  static register(config: AppConfig, ledger = loadServiceConfig(LedgerConfig)): DynamicModule {
    return {
      module: LedgerAppModule,
      imports: [ServiceCoreModule.forRoot(config, { entities: [], migrations: LEDGER_MIGRATIONS })],
      controllers: [
        ProjectsController,
        DeclarationsController,
        LogController,
        StatisticsController,
        ApplyEntryWhenEntryAppendedHandler,
        WitnessWhenHeadSubmittedHandler,
        RecordWhenHeadCosignedHandler,
        RecordWhenHeadRefusedHandler,
      ],
      providers: [
        { provide: LedgerConfig, useValue: ledger },
        LedgerMetrics,
        CheckpointSigner,
        LogRepository,
        LogService,
        LogCheckService,
        LogProjectionService,
        LogQueriesService,
        LedgerEntriesProjectionService,
        ProjectRepository,
        ProjectsService,
        ProjectsProjectionService,
        ProjectsQueriesService,
        DeclarationRepository,
        DeclarationsService,
        DeclarationsProjectionService,
        DeclarationsQueriesService,
        StatisticsRepository,
        StatisticsQueriesService,
      ],
    };
  }
}
