import { DynamicModule, Module } from '@nestjs/common';
import { loadServiceConfig } from '@app/config';
import { AccessReportRepository } from './access-reports/access-report.repository';
import { AccessReportService } from './access-reports/access-report.service';
import { KeepReportWhenPeerReportedAccessHandler } from './access-reports/events/keep-report-when-peer-reported-access.handler';
import { AuditAnchorRepository } from './anchors/audit-anchor.repository';
import { AuditAnchorService } from './anchors/audit-anchor.service';
import { KeepAcknowledgementWhenPeerAcknowledgedAnchorHandler } from './anchors/events/keep-acknowledgement-when-peer-acknowledged-anchor.handler';
import { KeepAnchorWhenPeerAnchoredHandler } from './anchors/events/keep-anchor-when-peer-anchored.handler';
import { AuditConfig } from './audit.config';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { RetentionMetrics } from './retention/retention.metrics';
import { RetentionRepository } from './retention/retention.repository';
import { RetentionService } from './retention/retention.service';

@Module({
  controllers: [
    AuditController,
    KeepAnchorWhenPeerAnchoredHandler,
    KeepAcknowledgementWhenPeerAcknowledgedAnchorHandler,
    KeepReportWhenPeerReportedAccessHandler,
  ],
  providers: [
    { provide: AuditConfig, useFactory: () => loadServiceConfig(AuditConfig) },
    AuditService,
    AuditAnchorRepository,
    AuditAnchorService,
    AccessReportRepository,
    AccessReportService,
    RetentionMetrics,
    RetentionRepository,
    RetentionService,
  ],
  exports: [AuditService, AuditAnchorService, AccessReportService, RetentionService],
})
export class AuditModule {
  /**
   * With the settings read when the app module is built (inside `runService`'s check, so that a bad
   * AUDIT_ANCHOR_INTERVAL_MS stops the service with one line and exit 2) rather than when Nest creates providers.
   */
  static forRoot(config: AuditConfig = loadServiceConfig(AuditConfig)): DynamicModule {
    return { module: AuditModule, providers: [{ provide: AuditConfig, useValue: config }] };
  }
}
