import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ALERT_RAISED_V1, AlertRaisedV1 } from '@app/contracts';
import { AlertsProjectionService } from '../alerts-projection.service';

/** An alert raised in another region: kept if newer, and fed to this region's units. */
@Controller()
export class ApplyAlertWhenAlertRaisedHandler {
  constructor(private readonly alerts: AlertsProjectionService) {}

  @EventPattern(ALERT_RAISED_V1)
  raised(@Payload() state: AlertRaisedV1, @Ctx() context: BusContext): Promise<void> {
    return this.alerts.apply(context.manager, context.origin, 'raised', state);
  }
}
