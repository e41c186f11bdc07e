import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ALERT_ESCALATED_V1, AlertEscalatedV1 } from '@app/contracts';
import { AlertsProjectionService } from '../alerts-projection.service';

/** An alert escalated in another region: kept if newer, and fed to this region's units. */
@Controller()
export class ApplyAlertWhenAlertEscalatedHandler {
  constructor(private readonly alerts: AlertsProjectionService) {}

  @EventPattern(ALERT_ESCALATED_V1)
  escalated(@Payload() state: AlertEscalatedV1, @Ctx() context: BusContext): Promise<void> {
    return this.alerts.apply(context.manager, context.origin, 'escalated', state);
  }
}
