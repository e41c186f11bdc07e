import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ALERT_ACKNOWLEDGED_V1, ALERT_RECEIVED_V1, AlertAcknowledgedV1, AlertReceivedV1 } from '@app/contracts';
import { ResponsesService } from '../alerts/responses.service';

/** In the raising region: who of the other regions received its alerts and what they answered. */
@Controller()
export class RecordAnswerWhenAlertAcknowledgedHandler {
  constructor(private readonly responses: ResponsesService) {}

  @EventPattern(ALERT_ACKNOWLEDGED_V1)
  acknowledged(@Payload() answer: AlertAcknowledgedV1, @Ctx() context: BusContext) {
    return this.responses.applyAnswer(context.manager, context.origin, answer);
  }

  @EventPattern(ALERT_RECEIVED_V1)
  received(@Payload() received: AlertReceivedV1, @Ctx() context: BusContext) {
    return this.responses.applyReceipts(context.manager, context.origin, received);
  }
}
