import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ALERT_CLOSED_V1, AlertClosedV1 } from '@app/contracts';
import { AlertsProjectionService } from '../alerts-projection.service';

/** An alert closed in another region: kept if newer, and fed to this region's units. */
@Controller()
export class ApplyAlertWhenAlertClosedHandler {
  constructor(private readonly alerts: AlertsProjectionService) {}

  @EventPattern(ALERT_CLOSED_V1)
  closed(@Payload() state: AlertClosedV1, @Ctx() context: BusContext): Promise<void> {
    return this.alerts.apply(context.manager, context.origin, 'closed', state);
  }
}
