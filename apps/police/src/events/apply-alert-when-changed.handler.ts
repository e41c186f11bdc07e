import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import {
  ALERT_CANCELLED_V1,
  ALERT_CLOSED_V1,
  ALERT_ESCALATED_V1,
  ALERT_RAISED_V1,
  ALERT_UPDATED_V1,
  AlertStateV1,
} from '@app/contracts';
import { AlertsService } from '../alerts/alerts.service';

/** Alerts of the other regions: kept (highest version wins) and fed to this region's units. */
@Controller()
export class ApplyAlertWhenChangedHandler {
  constructor(private readonly alerts: AlertsService) {}

  @EventPattern(ALERT_RAISED_V1)
  raised(@Payload() state: AlertStateV1, @Ctx() context: BusContext) {
    return this.alerts.applyRemote(context.manager, context.origin, 'raised', state);
  }

  @EventPattern(ALERT_UPDATED_V1)
  updated(@Payload() state: AlertStateV1, @Ctx() context: BusContext) {
    return this.alerts.applyRemote(context.manager, context.origin, 'updated', state);
  }

  @EventPattern(ALERT_CLOSED_V1)
  closed(@Payload() state: AlertStateV1, @Ctx() context: BusContext) {
    return this.alerts.applyRemote(context.manager, context.origin, 'closed', state);
  }

  @EventPattern(ALERT_CANCELLED_V1)
  cancelled(@Payload() state: AlertStateV1, @Ctx() context: BusContext) {
    return this.alerts.applyRemote(context.manager, context.origin, 'cancelled', state);
  }

  @EventPattern(ALERT_ESCALATED_V1)
  escalated(@Payload() state: AlertStateV1, @Ctx() context: BusContext) {
    return this.alerts.applyRemote(context.manager, context.origin, 'escalated', state);
  }
}
