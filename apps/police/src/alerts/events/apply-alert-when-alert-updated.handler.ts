import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { ALERT_UPDATED_V1, EventPayload } from '@app/contracts';
import { AlertsProjectionService } from '../alerts-projection.service';

/** An alert updated in another region: kept if newer, and fed to this region's units. */
@Controller()
export class ApplyAlertWhenAlertUpdatedHandler {
  constructor(private readonly alerts: AlertsProjectionService) {}

  @OnEvent(ALERT_UPDATED_V1)
  updated(state: EventPayload<typeof ALERT_UPDATED_V1>, context: BusContext): Promise<void> {
    return this.alerts.apply(context.manager, context.origin, 'updated', state);
  }
}
