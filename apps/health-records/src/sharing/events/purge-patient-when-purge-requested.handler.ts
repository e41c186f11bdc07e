import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { HEALTH_RECORDS_PURGE_REQUESTED_V1, EventPayload } from '@app/contracts';
import { SharedRecordsProjectionService } from '../shared-records-projection.service';

/** A peer asks this city to delete what it holds of one of its patients. */
@Controller()
export class PurgePatientWhenPurgeRequestedHandler {
  constructor(private readonly shared: SharedRecordsProjectionService) {}

  @OnEvent(HEALTH_RECORDS_PURGE_REQUESTED_V1)
  async purgeRequested(
    payload: EventPayload<typeof HEALTH_RECORDS_PURGE_REQUESTED_V1>,
    context: BusContext,
  ): Promise<void> {
    await this.shared.purge(context.manager, context.origin, payload);
  }
}
