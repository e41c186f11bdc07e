import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { AFFAIRS_CASE_CLOCK_ALERTED_V1, EventPayload } from '@app/contracts';
import { ApplicationProjectionService } from '../application-projection.service';

@Controller()
export class RecordAlertWhenCaseClockAlertedHandler {
  constructor(private readonly projection: ApplicationProjectionService) {}

  @OnEvent(AFFAIRS_CASE_CLOCK_ALERTED_V1)
  async handle(alert: EventPayload<typeof AFFAIRS_CASE_CLOCK_ALERTED_V1>, context: BusContext): Promise<void> {
    await this.projection.recordClockAlert(context.manager, context.origin, alert);
  }
}
