import { DynamicModule, Module } from '@nestjs/common';
import { Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { CONSENT_MIGRATIONS, ConsentModule } from '@app/consent';
import { ServiceCoreModule } from '@app/platform';
import { CatalogueController } from './catalogue/catalogue.controller';
import { CatalogueService } from './catalogue/catalogue.service';
import { LabConsentService } from './consent/lab-consent.service';
import { ShareOrPurgeWhenConsentChangedHandler } from './events/share-or-purge-when-consent-changed.handler';
import { RecordDecisionWhenDecidedHandler } from './events/record-decision-when-decided.handler';
import { StoreCatalogueWhenPublishedHandler } from './events/store-catalogue-when-published.handler';
import { StoreQualificationWhenChangedHandler } from './events/store-qualification-when-changed.handler';
import { StoreReportWhenReceivedHandler } from './events/store-report-when-received.handler';
import { LabMetrics } from './lab.metrics';
import { LAB_MIGRATIONS } from './migrations';
import { QualificationController } from './qualification/qualification.controller';
import { QualificationService } from './qualification/qualification.service';
import { RecognitionController } from './recognition/recognition.controller';
import { RecognitionService } from './recognition/recognition.service';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { ReuseController } from './reuse/reuse.controller';
import { ReuseService } from './reuse/reuse.service';

@Module({})
export class LabResultsAppModule {
  static register(config: AppConfig): DynamicModule {
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
        StoreQualificationWhenChangedHandler,
        StoreReportWhenReceivedHandler,
        RecordDecisionWhenDecidedHandler,
        ShareOrPurgeWhenConsentChangedHandler,
      ],
      providers: [
        {
          provide: Pseudonymizer,
          inject: [AppConfig],
          useFactory: (c: AppConfig) => new Pseudonymizer(c.pseudonymSecret),
        },
        LabMetrics,
        CatalogueService,
        QualificationService,
        ReportsService,
        ReuseService,
        RecognitionService,
        LabConsentService,
      ],
    };
  }
}
