import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import {
  LAB_REPORT_AMENDED_V1,
  LAB_REPORT_CANCELLED_V1,
  LAB_REPORT_ISSUED_V1,
  LabReportCancelledV1,
  LabReportV1,
} from '@app/contracts';
import { Clock } from '@app/platform';
import { LabConsentService } from '../consent/lab-consent.service';
import { LabMetrics } from '../lab.metrics';
import { ReportsService } from '../reports/reports.service';

/**
 * Reports a peer sent here. The issuing city sends only under the patient's consent; the consent event travels on
 * another topic and may come later, so a report is refused only when this node already knows the consent was
 * revoked and none is active (the reuse query checks consent again at every read).
 */
@Controller()
export class StoreReportWhenReceivedHandler {
  constructor(
    private readonly reports: ReportsService,
    private readonly consent: LabConsentService,
    private readonly clock: Clock,
    private readonly metrics: LabMetrics,
  ) {}

  @EventPattern(LAB_REPORT_ISSUED_V1)
  async issued(@Payload() report: LabReportV1, @Ctx() context: BusContext): Promise<void> {
    await this.store(report, context);
  }

  @EventPattern(LAB_REPORT_AMENDED_V1)
  async amended(@Payload() report: LabReportV1, @Ctx() context: BusContext): Promise<void> {
    await this.store(report, context);
  }

  @EventPattern(LAB_REPORT_CANCELLED_V1)
  async cancelled(@Payload() cancellation: LabReportCancelledV1, @Ctx() context: BusContext): Promise<void> {
    await this.reports.storeCancelled(context.manager, context.origin, cancellation);
  }

  private async store(report: LabReportV1, context: BusContext): Promise<void> {
    const { manager, origin } = context;
    await this.consent.lockPatient(manager, origin, report.patient);
    if (await this.consent.knownRevoked(manager, origin, report.patient, this.clock.now())) {
      this.metrics.reportsReceived.inc({ origin, outcome: 'refused' });
      return;
    }
    const stored = await this.reports.storeReceived(manager, origin, report);
    this.metrics.reportsReceived.inc({ origin, outcome: stored ? 'stored' : 'stale' });
  }
}
