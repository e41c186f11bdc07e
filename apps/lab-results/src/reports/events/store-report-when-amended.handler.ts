import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, LAB_REPORT_AMENDED_V1 } from '@app/contracts';
import { ReportsProjectionService } from '../reports-projection.service';

@Controller()
export class StoreReportWhenAmendedHandler {
  constructor(private readonly reports: ReportsProjectionService) {}

  @OnEvent(LAB_REPORT_AMENDED_V1)
  async handle(report: EventPayload<typeof LAB_REPORT_AMENDED_V1>, context: BusContext): Promise<void> {
    await this.reports.store(context.manager, context.origin, report);
  }
}
