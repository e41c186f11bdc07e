import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { LAB_REPORT_CANCELLED_V1, LabReportCancelledV1 } from '@app/contracts';
import { ReportsProjectionService } from '../reports-projection.service';

@Controller()
export class CancelReportWhenCancelledHandler {
  constructor(private readonly reports: ReportsProjectionService) {}

  @EventPattern(LAB_REPORT_CANCELLED_V1)
  async handle(@Payload() cancellation: LabReportCancelledV1, @Ctx() context: BusContext): Promise<void> {
    await this.reports.storeCancelled(context.manager, context.origin, cancellation);
  }
}
