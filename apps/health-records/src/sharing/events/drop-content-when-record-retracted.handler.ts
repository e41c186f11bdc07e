import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { HEALTH_RECORD_RETRACTED_V1, EventPayload } from '@app/contracts';
import { SharedRecordsProjectionService } from '../shared-records-projection.service';

/** A peer retracted one of its documents held here. */
@Controller()
export class DropContentWhenRecordRetractedHandler {
  constructor(private readonly shared: SharedRecordsProjectionService) {}

  @OnEvent(HEALTH_RECORD_RETRACTED_V1)
  async retracted(payload: EventPayload<typeof HEALTH_RECORD_RETRACTED_V1>, context: BusContext): Promise<void> {
    await this.shared.applyRetraction(context.manager, context.origin, payload);
  }
}
