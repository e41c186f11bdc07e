import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, loadServiceConfig } from '@app/config';
import { ServiceCoreModule } from '@app/platform';
import { AlertRepository } from './alerts/alert.repository';
import { AlertsProjectionService } from './alerts/alerts-projection.service';
import { AlertsQueriesService } from './alerts/alerts-queries.service';
import { AlertsController } from './alerts/alerts.controller';
import { AlertsService } from './alerts/alerts.service';
import { ApplyAlertWhenAlertCancelledHandler } from './alerts/events/apply-alert-when-alert-cancelled.handler';
import { ApplyAlertWhenAlertClosedHandler } from './alerts/events/apply-alert-when-alert-closed.handler';
import { ApplyAlertWhenAlertEscalatedHandler } from './alerts/events/apply-alert-when-alert-escalated.handler';
import { ApplyAlertWhenAlertRaisedHandler } from './alerts/events/apply-alert-when-alert-raised.handler';
import { ApplyAlertWhenAlertUpdatedHandler } from './alerts/events/apply-alert-when-alert-updated.handler';
import { CatalogueController } from './catalogue/catalogue.controller';
import { PoliceCatalogue } from './catalogue/police-catalogue';
import { EscalationScheduler } from './escalation/escalation.scheduler';
import { AlertFeedHub } from './feed/alert-feed.hub';
import { DeliveryRecorder } from './feed/delivery-recorder.service';
import { FeedRepository } from './feed/feed.repository';
import { UnitFiltersService } from './feed/unit-filters.service';
import { POLICE_MIGRATIONS } from './migrations';
import { PoliceConfig } from './police.config';
import { PoliceRetention } from './retention/police-retention';
import { PoliceMetrics } from './police.metrics';
import { RecordAnswerWhenAlertAcknowledgedHandler } from './responses/events/record-answer-when-alert-acknowledged.handler';
import { RecordReceiptsWhenAlertReceivedHandler } from './responses/events/record-receipts-when-alert-received.handler';
import { ResponseRepository } from './responses/response.repository';
import { ResponsesProjectionService } from './responses/responses-projection.service';
import { ResponsesController } from './responses/responses.controller';
import { ResponsesService } from './responses/responses.service';
import { StoreRosterWhenRosterPublishedHandler } from './roster/events/store-roster-when-roster-published.handler';
import { RosterProjectionService } from './roster/roster-projection.service';
import { RosterQueriesService } from './roster/roster-queries.service';
import { RosterController } from './roster/roster.controller';
import { RosterRepository } from './roster/roster.repository';
import { RosterService } from './roster/roster.service';
import { SubscriptionRepository } from './subscriptions/subscription.repository';
import { SubscriptionsQueriesService } from './subscriptions/subscriptions-queries.service';
import { SubscriptionsController } from './subscriptions/subscriptions.controller';
import { SubscriptionsService } from './subscriptions/subscriptions.service';

@Module({})
export class PoliceAppModule {
  static register(
    config: AppConfig,
    police = loadServiceConfig(PoliceConfig),
    catalogue = PoliceCatalogue.load(police),
  ): DynamicModule {
    return {
      module: PoliceAppModule,
      imports: [ServiceCoreModule.forRoot(config, { entities: [], migrations: POLICE_MIGRATIONS })],
      controllers: [
        AlertsController,
        ResponsesController,
        SubscriptionsController,
        RosterController,
        CatalogueController,
        ApplyAlertWhenAlertRaisedHandler,
        ApplyAlertWhenAlertUpdatedHandler,
        ApplyAlertWhenAlertClosedHandler,
        ApplyAlertWhenAlertCancelledHandler,
        ApplyAlertWhenAlertEscalatedHandler,
        RecordAnswerWhenAlertAcknowledgedHandler,
        RecordReceiptsWhenAlertReceivedHandler,
        StoreRosterWhenRosterPublishedHandler,
      ],
      providers: [
        { provide: PoliceConfig, useValue: police },
        { provide: PoliceCatalogue, useValue: catalogue },
        PoliceMetrics,
        PoliceRetention,
        AlertRepository,
        ResponseRepository,
        FeedRepository,
        RosterRepository,
        SubscriptionRepository,
        UnitFiltersService,
        DeliveryRecorder,
        AlertFeedHub,
        AlertsService,
        AlertsProjectionService,
        AlertsQueriesService,
        ResponsesService,
        ResponsesProjectionService,
        SubscriptionsService,
        SubscriptionsQueriesService,
        RosterService,
        RosterProjectionService,
        RosterQueriesService,
        EscalationScheduler,
      ],
    };
  }
}
