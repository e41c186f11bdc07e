import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, loadServiceConfig } from '@app/config';
import { ServiceCoreModule } from '@app/platform';
import { AffairsConfig } from './affairs.config';
import { AffairsMetrics } from './affairs.metrics';
import { ApplicationProjectionService } from './applications/application-projection.service';
import { ApplicationRepository } from './applications/application.repository';
import { ApplicationsQueriesService } from './applications/applications-queries.service';
import { ApplicationsController } from './applications/applications.controller';
import { ApplicationsService } from './applications/applications.service';
import { RecordAlertWhenCaseClockAlertedHandler } from './applications/events/record-alert-when-case-clock-alerted.handler';
import { RecordStatusWhenCaseStatusChangedHandler } from './applications/events/record-status-when-case-status-changed.handler';
import { CaseIntakeService } from './cases/case-intake.service';
import { CaseRepository } from './cases/case.repository';
import { CasesQueriesService } from './cases/cases-queries.service';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { OpenCaseWhenApplicationSubmittedHandler } from './cases/events/open-case-when-application-submitted.handler';
import { ResumeCaseWhenSupplementProvidedHandler } from './cases/events/resume-case-when-supplement-provided.handler';
import { StoreChunkWhenMaterialChunkSentHandler } from './cases/events/store-chunk-when-material-chunk-sent.handler';
import { CatalogueProjectionService } from './catalogue/catalogue-projection.service';
import { CatalogueQueriesService } from './catalogue/catalogue-queries.service';
import { CatalogueController } from './catalogue/catalogue.controller';
import { CatalogueRepository } from './catalogue/catalogue.repository';
import { CatalogueService } from './catalogue/catalogue.service';
import { StoreCatalogueWhenPublishedHandler } from './catalogue/events/store-catalogue-when-published.handler';
import { MatterCatalogue } from './catalogue/matter-catalogue';
import { WorkingCalendar } from './clock/working-calendar';
import { RegionEncryption } from './keys/region-encryption';
import { ProjectWhenLicenceChangedHandler } from './licences/events/project-when-licence-changed.handler';
import { LicenceRepository } from './licences/licence.repository';
import { LicencesProjectionService } from './licences/licences-projection.service';
import { LicencesQueriesService } from './licences/licences-queries.service';
import { LicencesController } from './licences/licences.controller';
import { LicencesService } from './licences/licences.service';
import { AFFAIRS_MIGRATIONS } from './migrations';
import { AffairsRetention } from './retention/affairs-retention';
import { RecordRatingWhenCaseRatedHandler } from './cases/events/record-rating-when-case-rated.handler';
import { StatisticsQueriesService } from './statistics/statistics-queries.service';
import { StatisticsController } from './statistics/statistics.controller';
import { StatisticsRepository } from './statistics/statistics.repository';
import { ClockAlertScheduler } from './supervision/clock-alert.scheduler';
import { SupervisionController } from './supervision/supervision.controller';

/** What the affairs module is built from; each defaults to the files and keys AffairsConfig names. */
export interface AffairsSetup {
  affairs?: AffairsConfig;
  catalogue?: MatterCatalogue;
  calendar?: WorkingCalendar;
  encryption?: RegionEncryption;
}

@Module({})
export class AffairsAppModule {
  /** Tests pass their own catalogue, calendar or key; `npm start` and main.ts take the defaults. */
  static register(config: AppConfig, setup: AffairsSetup = {}): DynamicModule {
    const affairs = setup.affairs ?? loadServiceConfig(AffairsConfig);
    const catalogue = setup.catalogue ?? MatterCatalogue.load(affairs, config.registry.names);
    const calendar = setup.calendar ?? WorkingCalendar.load(affairs);
    const encryption = setup.encryption ?? RegionEncryption.load(config, affairs);
    return {
      module: AffairsAppModule,
      imports: [ServiceCoreModule.forRoot(config, { entities: [], migrations: AFFAIRS_MIGRATIONS })],
      controllers: [
        CatalogueController,
        ApplicationsController,
        CasesController,
        SupervisionController,
        LicencesController,
        StatisticsController,
        StoreCatalogueWhenPublishedHandler,
        RecordRatingWhenCaseRatedHandler,
        ProjectWhenLicenceChangedHandler,
        OpenCaseWhenApplicationSubmittedHandler,
        StoreChunkWhenMaterialChunkSentHandler,
        ResumeCaseWhenSupplementProvidedHandler,
        RecordStatusWhenCaseStatusChangedHandler,
        RecordAlertWhenCaseClockAlertedHandler,
      ],
      providers: [
        { provide: AffairsConfig, useValue: affairs },
        { provide: MatterCatalogue, useValue: catalogue },
        { provide: WorkingCalendar, useValue: calendar },
        { provide: RegionEncryption, useValue: encryption },
        AffairsMetrics,
        AffairsRetention,
        CatalogueRepository,
        CatalogueService,
        CatalogueProjectionService,
        CatalogueQueriesService,
        ApplicationRepository,
        ApplicationsService,
        ApplicationsQueriesService,
        ApplicationProjectionService,
        CaseRepository,
        CasesService,
        CasesQueriesService,
        CaseIntakeService,
        ClockAlertScheduler,
        LicenceRepository,
        LicencesService,
        LicencesProjectionService,
        LicencesQueriesService,
        StatisticsRepository,
        StatisticsQueriesService,
      ],
    };
  }
}
