import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ALERT_ACKNOWLEDGED_V1, AlertAcknowledgedV1 } from '@app/contracts';
import { ResponsesProjectionService } from '../responses-projection.service';

/** In the raising region: a unit of another region answered one of its alerts. */
@Controller()
export class RecordAnswerWhenAlertAcknowledgedHandler {
  constructor(private readonly responses: ResponsesProjectionService) {}

  @EventPattern(ALERT_ACKNOWLEDGED_V1)
  acknowledged(@Payload() answer: AlertAcknowledgedV1, @Ctx() context: BusContext): Promise<void> {
    return this.responses.applyAnswer(context.manager, context.origin, answer);
  }
}
