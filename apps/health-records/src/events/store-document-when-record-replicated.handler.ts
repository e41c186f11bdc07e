import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import {
  HEALTH_RECORD_REPLICATED_V1,
  HEALTH_RECORD_RETRACTED_V1,
  HEALTH_RECORDS_PURGE_REQUESTED_V1,
  RecordReplicatedV1,
  RecordRetractedV1,
  RecordsPurgeRequestedV1,
} from '@app/contracts';
import { SharedRecordsService } from '../sharing/shared-records.service';

/** A peer's document versions and purge requests for this city (directed to it alone). */
@Controller()
export class StoreDocumentWhenRecordReplicatedHandler {
  constructor(private readonly shared: SharedRecordsService) {}

  @EventPattern(HEALTH_RECORD_REPLICATED_V1)
  async replicated(@Payload() document: RecordReplicatedV1, @Ctx() context: BusContext): Promise<void> {
    await this.shared.applyVersion(context.manager, context.origin, document);
  }

  @EventPattern(HEALTH_RECORD_RETRACTED_V1)
  async retracted(@Payload() retraction: RecordRetractedV1, @Ctx() context: BusContext): Promise<void> {
    await this.shared.applyRetraction(context.manager, context.origin, retraction);
  }

  @EventPattern(HEALTH_RECORDS_PURGE_REQUESTED_V1)
  async purgeRequested(@Payload() request: RecordsPurgeRequestedV1, @Ctx() context: BusContext): Promise<void> {
    await this.shared.purge(context.manager, context.origin, request);
  }
}
