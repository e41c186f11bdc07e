import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ALERT_RECEIVED_V1, AlertReceivedV1 } from '@app/contracts';
import { ResponsesProjectionService } from '../responses-projection.service';

/** In the raising region: units of another region received one of its alerts. */
@Controller()
export class RecordReceiptsWhenAlertReceivedHandler {
  constructor(private readonly responses: ResponsesProjectionService) {}

  @EventPattern(ALERT_RECEIVED_V1)
  received(@Payload() received: AlertReceivedV1, @Ctx() context: BusContext): Promise<void> {
    return this.responses.applyReceipts(context.manager, context.origin, received);
  }
}
