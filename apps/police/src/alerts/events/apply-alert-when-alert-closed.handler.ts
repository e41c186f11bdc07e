import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { ALERT_CLOSED_V1, EventPayload } from '@app/contracts';
import { AlertsProjectionService } from '../alerts-projection.service';

/** An alert closed in another region: kept if newer, and fed to this region's units. */
@Controller()
export class ApplyAlertWhenAlertClosedHandler {
  constructor(private readonly alerts: AlertsProjectionService) {}

  @OnEvent(ALERT_CLOSED_V1)
  closed(state: EventPayload<typeof ALERT_CLOSED_V1>, context: BusContext): Promise<void> {
    return this.alerts.apply(context.manager, context.origin, 'closed', state);
  }
}
