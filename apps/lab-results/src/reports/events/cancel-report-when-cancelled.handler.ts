import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, LAB_REPORT_CANCELLED_V1 } from '@app/contracts';
import { ReportsProjectionService } from '../reports-projection.service';

@Controller()
export class CancelReportWhenCancelledHandler {
  constructor(private readonly reports: ReportsProjectionService) {}

  @OnEvent(LAB_REPORT_CANCELLED_V1)
  async handle(cancellation: EventPayload<typeof LAB_REPORT_CANCELLED_V1>, context: BusContext): Promise<void> {
    await this.reports.storeCancelled(context.manager, context.origin, cancellation);
  }
}
