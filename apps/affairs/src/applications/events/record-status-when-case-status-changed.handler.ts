import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { AFFAIRS_CASE_STATUS_CHANGED_V1, EventPayload } from '@app/contracts';
import { ApplicationProjectionService } from '../application-projection.service';

@Controller()
export class RecordStatusWhenCaseStatusChangedHandler {
  constructor(private readonly projection: ApplicationProjectionService) {}

  @OnEvent(AFFAIRS_CASE_STATUS_CHANGED_V1)
  async handle(change: EventPayload<typeof AFFAIRS_CASE_STATUS_CHANGED_V1>, context: BusContext): Promise<void> {
    await this.projection.applyStatus(context.manager, context.origin, change);
  }
}
