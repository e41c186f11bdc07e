import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { LAB_REPORT_ISSUED_V1, LabReportV1 } from '@app/contracts';
import { ReportsProjectionService } from '../reports-projection.service';

@Controller()
export class StoreReportWhenIssuedHandler {
  constructor(private readonly reports: ReportsProjectionService) {}

  @EventPattern(LAB_REPORT_ISSUED_V1)
  async handle(@Payload() report: LabReportV1, @Ctx() context: BusContext): Promise<void> {
    await this.reports.store(context.manager, context.origin, report);
  }
}
