import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { ServiceCoreModule } from '@app/platform';
import { AlertRepository } from './alerts/alert.repository';
import { AlertsController } from './alerts/alerts.controller';
import { AlertsService } from './alerts/alerts.service';
import { ResponsesService } from './alerts/responses.service';
import { CatalogueController } from './catalogue/catalogue.controller';
import { PoliceCatalogue } from './catalogue/police-catalogue';
import { EscalationScheduler } from './escalation/escalation.scheduler';
import { ApplyAlertWhenChangedHandler } from './events/apply-alert-when-changed.handler';
import { RecordAnswerWhenAlertAcknowledgedHandler } from './events/record-answer-when-alert-acknowledged.handler';
import { StoreRosterWhenPublishedHandler } from './events/store-roster-when-published.handler';
import { AlertFeedHub } from './feed/alert-feed.hub';
import { DeliveryRecorder } from './feed/delivery-recorder.service';
import { FeedRepository } from './feed/feed.repository';
import { POLICE_MIGRATIONS } from './migrations';
import { PoliceMetrics } from './police.metrics';
import { RosterController } from './roster/roster.controller';
import { RosterService } from './roster/roster.service';
import { SubscriptionsController } from './subscriptions/subscriptions.controller';
import { SubscriptionsService } from './subscriptions/subscriptions.service';

@Module({})
export class PoliceAppModule {
  static register(config: AppConfig, catalogue = PoliceCatalogue.fromEnvironment()): DynamicModule {
    return {
      module: PoliceAppModule,
      imports: [ServiceCoreModule.forRoot(config, { entities: [], migrations: POLICE_MIGRATIONS })],
      controllers: [
        AlertsController,
        SubscriptionsController,
        RosterController,
        CatalogueController,
        ApplyAlertWhenChangedHandler,
        RecordAnswerWhenAlertAcknowledgedHandler,
        StoreRosterWhenPublishedHandler,
      ],
      providers: [
        { provide: PoliceCatalogue, useValue: catalogue },
        PoliceMetrics,
        AlertRepository,
        FeedRepository,
        DeliveryRecorder,
        AlertFeedHub,
        AlertsService,
        ResponsesService,
        SubscriptionsService,
        RosterService,
        EscalationScheduler,
      ],
    };
  }
}
