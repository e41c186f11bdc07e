import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { ALERT_CANCELLED_V1, EventPayload } from '@app/contracts';
import { AlertsProjectionService } from '../alerts-projection.service';

/** An alert cancelled in another region: kept if newer, and fed to this region's units. */
@Controller()
export class ApplyAlertWhenAlertCancelledHandler {
  constructor(private readonly alerts: AlertsProjectionService) {}

  @OnEvent(ALERT_CANCELLED_V1)
  cancelled(state: EventPayload<typeof ALERT_CANCELLED_V1>, context: BusContext): Promise<void> {
    return this.alerts.apply(context.manager, context.origin, 'cancelled', state);
  }
}
