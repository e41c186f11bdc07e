import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { HEALTH_RECORDS_ACCESSED_V1, EventPayload } from '@app/contracts';
import { AccessReportsProjectionService } from '../access-reports-projection.service';

/** A peer reports a read of this city's patient's records. */
@Controller()
export class RecordAccessWhenRecordsAccessedHandler {
  constructor(private readonly reports: AccessReportsProjectionService) {}

  @OnEvent(HEALTH_RECORDS_ACCESSED_V1)
  async accessed(payload: EventPayload<typeof HEALTH_RECORDS_ACCESSED_V1>, context: BusContext): Promise<void> {
    await this.reports.recordAccess(context.manager, context.origin, payload);
  }
}
