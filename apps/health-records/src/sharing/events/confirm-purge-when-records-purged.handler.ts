import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { HEALTH_RECORDS_PURGED_V1, EventPayload } from '@app/contracts';
import { PurgesProjectionService } from '../purges-projection.service';

/** A peer confirms the purge this city asked of it. */
@Controller()
export class ConfirmPurgeWhenRecordsPurgedHandler {
  constructor(private readonly reports: PurgesProjectionService) {}

  @OnEvent(HEALTH_RECORDS_PURGED_V1)
  async purged(payload: EventPayload<typeof HEALTH_RECORDS_PURGED_V1>, context: BusContext): Promise<void> {
    await this.reports.recordPurge(context.manager, context.origin, payload);
  }
}
