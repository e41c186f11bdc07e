import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { ALERT_RECEIVED_V1, EventPayload } from '@app/contracts';
import { ResponsesProjectionService } from '../responses-projection.service';

/** In the raising region: units of another region received one of its alerts. */
@Controller()
export class RecordReceiptsWhenAlertReceivedHandler {
  constructor(private readonly responses: ResponsesProjectionService) {}

  @OnEvent(ALERT_RECEIVED_V1)
  received(received: EventPayload<typeof ALERT_RECEIVED_V1>, context: BusContext): Promise<void> {
    return this.responses.applyReceipts(context.manager, context.origin, received);
  }
}
