import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, loadServiceConfig } from '@app/config';
import { CONSENT_MIGRATIONS, ConsentModule } from '@app/consent';
import { ServiceCoreModule } from '@app/platform';
import { CatalogueProjectionService } from './catalogue/catalogue-projection.service';
import { CatalogueQueriesService } from './catalogue/catalogue-queries.service';
import { CatalogueController } from './catalogue/catalogue.controller';
import { CatalogueRepository } from './catalogue/catalogue.repository';
import { CatalogueService } from './catalogue/catalogue.service';
import { StoreCatalogueWhenPublishedHandler } from './catalogue/events/store-catalogue-when-published.handler';
import { ConsentProjectionService } from './consent/consent-projection.service';
import { ConsentRepository } from './consent/consent.repository';
import { LabConsentService } from './consent/lab-consent.service';
import { LabMetrics } from './lab-results.metrics';
import { LAB_MIGRATIONS } from './migrations';
import { StoreQualificationWhenGrantedHandler } from './qualification/events/store-qualification-when-granted.handler';
import { StoreSuspensionWhenSuspendedHandler } from './qualification/events/store-suspension-when-suspended.handler';
import { QualificationProjectionService } from './qualification/qualification-projection.service';
import { QualificationQueriesService } from './qualification/qualification-queries.service';
import { QualificationController } from './qualification/qualification.controller';
import { QualificationRepository } from './qualification/qualification.repository';
import { QualificationService } from './qualification/qualification.service';
import { RecordDecisionWhenDecidedHandler } from './recognition/events/record-decision-when-decided.handler';
import { RecognitionProjectionService } from './recognition/recognition-projection.service';
import { RecognitionQueriesService } from './recognition/recognition-queries.service';
import { RecognitionController } from './recognition/recognition.controller';
import { RecognitionRepository } from './recognition/recognition.repository';
import { RecognitionService } from './recognition/recognition.service';
import { CancelReportWhenCancelledHandler } from './reports/events/cancel-report-when-cancelled.handler';
import { PurgeReportsWhenConsentRevokedHandler } from './reports/events/purge-reports-when-consent-revoked.handler';
import { ShareReportsWhenConsentGrantedHandler } from './reports/events/share-reports-when-consent-granted.handler';
import { StoreReportWhenAmendedHandler } from './reports/events/store-report-when-amended.handler';
import { StoreReportWhenIssuedHandler } from './reports/events/store-report-when-issued.handler';
import { ReportsProjectionService } from './reports/reports-projection.service';
import { ReportsSharingService } from './reports/reports-sharing.service';
import { ReportsController } from './reports/reports.controller';
import { ReportsRepository } from './reports/reports.repository';
import { ReportsService } from './reports/reports.service';
import { ReuseController } from './reuse/reuse.controller';
import { ReuseRepository } from './reuse/reuse.repository';
import { ReuseService } from './reuse/reuse.service';
import { LabConfig } from './lab-results.config';
import { LabRetention } from './retention/lab-retention';

@Module({})
export class LabResultsAppModule {
  static register(config: AppConfig, lab: LabConfig = loadServiceConfig(LabConfig)): DynamicModule {
    return {
      module: LabResultsAppModule,
      imports: [
        ServiceCoreModule.forRoot(config, { entities: [], migrations: [...CONSENT_MIGRATIONS, ...LAB_MIGRATIONS] }),
        ConsentModule,
      ],
      controllers: [
        CatalogueController,
        QualificationController,
        ReportsController,
        ReuseController,
        RecognitionController,
        StoreCatalogueWhenPublishedHandler,
        StoreQualificationWhenGrantedHandler,
        StoreSuspensionWhenSuspendedHandler,
        StoreReportWhenIssuedHandler,
        StoreReportWhenAmendedHandler,
        CancelReportWhenCancelledHandler,
        ShareReportsWhenConsentGrantedHandler,
        PurgeReportsWhenConsentRevokedHandler,
        RecordDecisionWhenDecidedHandler,
      ],
      providers: [
        { provide: LabConfig, useValue: lab },
        LabMetrics,
        LabRetention,
        CatalogueRepository,
        CatalogueService,
        CatalogueProjectionService,
        CatalogueQueriesService,
        QualificationRepository,
        QualificationService,
        QualificationProjectionService,
        QualificationQueriesService,
        ReportsRepository,
        ReportsService,
        ReportsProjectionService,
        ReportsSharingService,
        ReuseRepository,
        ReuseService,
        RecognitionRepository,
        RecognitionService,
        RecognitionProjectionService,
        RecognitionQueriesService,
        ConsentRepository,
        LabConsentService,
        ConsentProjectionService,
      ],
    };
  }
}
