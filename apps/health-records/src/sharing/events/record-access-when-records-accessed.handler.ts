import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { HEALTH_RECORDS_ACCESSED_V1, RecordsAccessedV1 } from '@app/contracts';
import { AccessReportsProjectionService } from '../access-reports-projection.service';

/** A peer reports a read of this city's patient's records. */
@Controller()
export class RecordAccessWhenRecordsAccessedHandler {
  constructor(private readonly reports: AccessReportsProjectionService) {}

  @EventPattern(HEALTH_RECORDS_ACCESSED_V1)
  async accessed(@Payload() payload: RecordsAccessedV1, @Ctx() context: BusContext): Promise<void> {
    await this.reports.recordAccess(context.manager, context.origin, payload);
  }
}
