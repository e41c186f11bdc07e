import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { ALERT_ACKNOWLEDGED_V1, EventPayload } from '@app/contracts';
import { ResponsesProjectionService } from '../responses-projection.service';

/** In the raising region: a unit of another region answered one of its alerts. */
@Controller()
export class RecordAnswerWhenAlertAcknowledgedHandler {
  constructor(private readonly responses: ResponsesProjectionService) {}

  @OnEvent(ALERT_ACKNOWLEDGED_V1)
  acknowledged(answer: EventPayload<typeof ALERT_ACKNOWLEDGED_V1>, context: BusContext): Promise<void> {
    return this.responses.applyAnswer(context.manager, context.origin, answer);
  }
}
