import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, loadServiceConfig } from '@app/config';
import { CONSENT_MIGRATIONS, ConsentModule } from '@app/consent';
import { ServiceCoreModule } from '@app/platform';
import { BookingDecisionsService } from './booking/booking-decisions.service';
import { BookingQueriesService } from './booking/booking-queries.service';
import { BookingController } from './booking/booking.controller';
import { BookingRepository } from './booking/booking.repository';
import { BookingsService } from './booking/bookings.service';
import { DecideBookingWhenBookingRequestedHandler } from './booking/events/decide-booking-when-booking-requested.handler';
import { ProjectSlotWhenSlotPublishedHandler } from './booking/events/project-slot-when-slot-published.handler';
import { ReleasePlaceWhenBookingCancelledHandler } from './booking/events/release-place-when-booking-cancelled.handler';
import { SettleBookingWhenBookingAnsweredHandler } from './booking/events/settle-booking-when-booking-answered.handler';
import { WithdrawSlotWhenSlotWithdrawnHandler } from './booking/events/withdraw-slot-when-slot-withdrawn.handler';
import { SlotsProjectionService } from './booking/slots-projection.service';
import { SlotsService } from './booking/slots.service';
import { ConsentProjectionService } from './consent/consent-projection.service';
import { ConsentQueriesService } from './consent/consent-queries.service';
import { ConsentRecordsService } from './consent/consent-records.service';
import { ConsentController } from './consent/consent.controller';
import { ConsentRepository } from './consent/consent.repository';
import { ApplyConsentWhenConsentGrantedHandler } from './consent/events/apply-consent-when-consent-granted.handler';
import { ApplyConsentWhenConsentRevokedHandler } from './consent/events/apply-consent-when-consent-revoked.handler';
import { HealthConfig } from './health-records.config';
import { HealthMetrics } from './health-records.metrics';
import { HEALTH_RECORDS_MIGRATIONS } from './migrations';
import { RecordsQueriesService } from './records/records-queries.service';
import { RecordsController } from './records/records.controller';
import { RecordsRepository } from './records/records.repository';
import { RecordsService } from './records/records.service';
import { HealthRetention } from './retention/health-retention';
import { ConfirmPurgeWhenRecordsPurgedHandler } from './sharing/events/confirm-purge-when-records-purged.handler';
import { DropContentWhenRecordRetractedHandler } from './sharing/events/drop-content-when-record-retracted.handler';
import { PurgePatientWhenPurgeRequestedHandler } from './sharing/events/purge-patient-when-purge-requested.handler';
import { KeepReportWhenRecordsAccessedHandler } from './sharing/events/keep-report-when-records-accessed.handler';
import { StoreDocumentWhenRecordReplicatedHandler } from './sharing/events/store-document-when-record-replicated.handler';
import { PurgesProjectionService } from './sharing/purges-projection.service';
import { ReplicationService } from './sharing/replication.service';
import { SharedRecordsProjectionService } from './sharing/shared-records-projection.service';
import { SharedRecordsQueriesService } from './sharing/shared-records-queries.service';
import { SharedRecordsController } from './sharing/shared-records.controller';
import { SharingRepository } from './sharing/sharing.repository';

@Module({})
export class HealthRecordsAppModule {
  static register(config: AppConfig, health: HealthConfig = loadServiceConfig(HealthConfig)): DynamicModule {
    return {
      module: HealthRecordsAppModule,
      imports: [
        ServiceCoreModule.forRoot(config, {
          entities: [],
          migrations: [...CONSENT_MIGRATIONS, ...HEALTH_RECORDS_MIGRATIONS],
        }),
        ConsentModule,
      ],
      controllers: [
        RecordsController,
        ConsentController,
        SharedRecordsController,
        BookingController,
        ApplyConsentWhenConsentGrantedHandler,
        ApplyConsentWhenConsentRevokedHandler,
        StoreDocumentWhenRecordReplicatedHandler,
        DropContentWhenRecordRetractedHandler,
        PurgePatientWhenPurgeRequestedHandler,
        KeepReportWhenRecordsAccessedHandler,
        ConfirmPurgeWhenRecordsPurgedHandler,
        ProjectSlotWhenSlotPublishedHandler,
        WithdrawSlotWhenSlotWithdrawnHandler,
        DecideBookingWhenBookingRequestedHandler,
        ReleasePlaceWhenBookingCancelledHandler,
        SettleBookingWhenBookingAnsweredHandler,
      ],
      providers: [
        { provide: HealthConfig, useValue: health },
        HealthMetrics,
        RecordsRepository,
        RecordsService,
        RecordsQueriesService,
        ConsentRepository,
        ConsentRecordsService,
        ConsentProjectionService,
        ConsentQueriesService,
        SharingRepository,
        ReplicationService,
        SharedRecordsProjectionService,
        SharedRecordsQueriesService,
        PurgesProjectionService,
        BookingRepository,
        SlotsService,
        SlotsProjectionService,
        BookingDecisionsService,
        BookingsService,
        BookingQueriesService,
        HealthRetention,
      ],
    };
  }
}
