import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { ALERT_ESCALATED_V1, EventPayload } from '@app/contracts';
import { AlertsProjectionService } from '../alerts-projection.service';

/** An alert escalated in another region: kept if newer, and fed to this region's units. */
@Controller()
export class ApplyAlertWhenAlertEscalatedHandler {
  constructor(private readonly alerts: AlertsProjectionService) {}

  @OnEvent(ALERT_ESCALATED_V1)
  escalated(state: EventPayload<typeof ALERT_ESCALATED_V1>, context: BusContext): Promise<void> {
    return this.alerts.apply(context.manager, context.origin, 'escalated', state);
  }
}
