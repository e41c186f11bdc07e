import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ALERT_UPDATED_V1, AlertUpdatedV1 } from '@app/contracts';
import { AlertsProjectionService } from '../alerts-projection.service';

/** An alert updated in another region: kept if newer, and fed to this region's units. */
@Controller()
export class ApplyAlertWhenAlertUpdatedHandler {
  constructor(private readonly alerts: AlertsProjectionService) {}

  @EventPattern(ALERT_UPDATED_V1)
  updated(@Payload() state: AlertUpdatedV1, @Ctx() context: BusContext): Promise<void> {
    return this.alerts.apply(context.manager, context.origin, 'updated', state);
  }
}
