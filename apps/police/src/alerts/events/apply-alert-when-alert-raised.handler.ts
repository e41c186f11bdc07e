import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { ALERT_RAISED_V1, EventPayload } from '@app/contracts';
import { AlertsProjectionService } from '../alerts-projection.service';

/** An alert raised in another region: kept if newer, and fed to this region's units. */
@Controller()
export class ApplyAlertWhenAlertRaisedHandler {
  constructor(private readonly alerts: AlertsProjectionService) {}

  @OnEvent(ALERT_RAISED_V1)
  raised(state: EventPayload<typeof ALERT_RAISED_V1>, context: BusContext): Promise<void> {
    return this.alerts.apply(context.manager, context.origin, 'raised', state);
  }
}
