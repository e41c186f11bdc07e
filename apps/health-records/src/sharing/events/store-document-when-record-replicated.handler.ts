import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { HEALTH_RECORD_REPLICATED_V1, EventPayload } from '@app/contracts';
import { SharedRecordsProjectionService } from '../shared-records-projection.service';

/** A peer's document version for this city (directed to it alone). */
@Controller()
export class StoreDocumentWhenRecordReplicatedHandler {
  constructor(private readonly shared: SharedRecordsProjectionService) {}

  @OnEvent(HEALTH_RECORD_REPLICATED_V1)
  async replicated(payload: EventPayload<typeof HEALTH_RECORD_REPLICATED_V1>, context: BusContext): Promise<void> {
    await this.shared.applyVersion(context.manager, context.origin, payload);
  }
}
