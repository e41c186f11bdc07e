import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { HEALTH_RECORDS_PURGED_V1, RecordsPurgedV1 } from '@app/contracts';
import { AccessReportsProjectionService } from '../access-reports-projection.service';

/** A peer confirms the purge this city asked of it. */
@Controller()
export class ConfirmPurgeWhenRecordsPurgedHandler {
  constructor(private readonly reports: AccessReportsProjectionService) {}

  @EventPattern(HEALTH_RECORDS_PURGED_V1)
  async purged(@Payload() payload: RecordsPurgedV1, @Ctx() context: BusContext): Promise<void> {
    await this.reports.recordPurge(context.manager, context.origin, payload);
  }
}
