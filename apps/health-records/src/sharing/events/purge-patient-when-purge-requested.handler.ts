import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { HEALTH_RECORDS_PURGE_REQUESTED_V1, RecordsPurgeRequestedV1 } from '@app/contracts';
import { SharedRecordsProjectionService } from '../shared-records-projection.service';

/** A peer asks this city to delete what it holds of one of its patients. */
@Controller()
export class PurgePatientWhenPurgeRequestedHandler {
  constructor(private readonly shared: SharedRecordsProjectionService) {}

  @EventPattern(HEALTH_RECORDS_PURGE_REQUESTED_V1)
  async purgeRequested(@Payload() payload: RecordsPurgeRequestedV1, @Ctx() context: BusContext): Promise<void> {
    await this.shared.purge(context.manager, context.origin, payload);
  }
}
