import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { HEALTH_RECORD_REPLICATED_V1, RecordReplicatedV1 } from '@app/contracts';
import { SharedRecordsProjectionService } from '../shared-records-projection.service';

/** A peer's document version for this city (directed to it alone). */
@Controller()
export class StoreDocumentWhenRecordReplicatedHandler {
  constructor(private readonly shared: SharedRecordsProjectionService) {}

  @EventPattern(HEALTH_RECORD_REPLICATED_V1)
  async replicated(@Payload() payload: RecordReplicatedV1, @Ctx() context: BusContext): Promise<void> {
    await this.shared.applyVersion(context.manager, context.origin, payload);
  }
}
