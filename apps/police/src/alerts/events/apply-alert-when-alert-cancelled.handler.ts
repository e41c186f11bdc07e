import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ALERT_CANCELLED_V1, AlertCancelledV1 } from '@app/contracts';
import { AlertsProjectionService } from '../alerts-projection.service';

/** An alert cancelled in another region: kept if newer, and fed to this region's units. */
@Controller()
export class ApplyAlertWhenAlertCancelledHandler {
  constructor(private readonly alerts: AlertsProjectionService) {}

  @EventPattern(ALERT_CANCELLED_V1)
  cancelled(@Payload() state: AlertCancelledV1, @Ctx() context: BusContext): Promise<void> {
    return this.alerts.apply(context.manager, context.origin, 'cancelled', state);
  }
}
