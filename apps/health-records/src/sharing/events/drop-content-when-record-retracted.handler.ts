import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { HEALTH_RECORD_RETRACTED_V1, RecordRetractedV1 } from '@app/contracts';
import { SharedRecordsProjectionService } from '../shared-records-projection.service';

/** A peer retracted one of its documents held here. */
@Controller()
export class DropContentWhenRecordRetractedHandler {
  constructor(private readonly shared: SharedRecordsProjectionService) {}

  @EventPattern(HEALTH_RECORD_RETRACTED_V1)
  async retracted(@Payload() payload: RecordRetractedV1, @Ctx() context: BusContext): Promise<void> {
    await this.shared.applyRetraction(context.manager, context.origin, payload);
  }
}
