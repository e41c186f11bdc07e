import { DynamicModule, Module } from '@nestjs/common';
import { Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { CONSENT_MIGRATIONS, ConsentModule } from '@app/consent';
import { ServiceCoreModule } from '@app/platform';
import { BookingController } from './booking/booking.controller';
import { BookingsService } from './booking/bookings.service';
import { SlotsService } from './booking/slots.service';
import { ConsentController } from './consent/consent.controller';
import { ConsentRecordsService } from './consent/consent-records.service';
import { ApplyConsentWhenConsentChangesHandler } from './events/apply-consent-when-consent-changes.handler';
import { BookWhenBookingEventHandler } from './events/book-when-booking-event.handler';
import { RecordReportWhenPeerReportsHandler } from './events/record-report-when-peer-reports.handler';
import { StoreDocumentWhenRecordReplicatedHandler } from './events/store-document-when-record-replicated.handler';
import { HealthConfig } from './health.config';
import { HealthMetrics } from './health.metrics';
import { HEALTH_RECORDS_MIGRATIONS } from './migrations';
import { RecordsController } from './records/records.controller';
import { RecordsService } from './records/records.service';
import { AccessReportsService } from './sharing/access-reports.service';
import { ReplicationService } from './sharing/replication.service';
import { SharedRecordsController } from './sharing/shared-records.controller';
import { SharedRecordsService } from './sharing/shared-records.service';

@Module({})
export class HealthRecordsAppModule {
  static register(config: AppConfig, health: HealthConfig = HealthConfig.fromEnv()): DynamicModule {
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
        ApplyConsentWhenConsentChangesHandler,
        StoreDocumentWhenRecordReplicatedHandler,
        RecordReportWhenPeerReportsHandler,
        BookWhenBookingEventHandler,
      ],
      providers: [
        { provide: HealthConfig, useValue: health },
        { provide: Pseudonymizer, useFactory: () => new Pseudonymizer(config.pseudonymSecret) },
        HealthMetrics,
        RecordsService,
        ReplicationService,
        ConsentRecordsService,
        SharedRecordsService,
        AccessReportsService,
        SlotsService,
        BookingsService,
      ],
    };
  }
}
