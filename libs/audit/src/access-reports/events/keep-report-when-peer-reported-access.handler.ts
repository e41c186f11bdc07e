import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { AUDIT_ACCESS_REPORTED_V1, EventPayload } from '@app/contracts';
import { AccessReportService } from '../access-report.service';

@Controller()
export class KeepReportWhenPeerReportedAccessHandler {
  constructor(private readonly reports: AccessReportService) {}

  @OnEvent(AUDIT_ACCESS_REPORTED_V1)
  async keepReport(report: EventPayload<typeof AUDIT_ACCESS_REPORTED_V1>, context: BusContext): Promise<void> {
    await this.reports.keepReport(context.manager, context.origin, report);
  }
}
