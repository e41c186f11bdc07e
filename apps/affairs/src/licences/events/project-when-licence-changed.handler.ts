import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import {
  AFFAIRS_LICENCE_ISSUED_V1,
  AFFAIRS_LICENCE_REINSTATED_V1,
  AFFAIRS_LICENCE_REVOKED_V1,
  AFFAIRS_LICENCE_SUSPENDED_V1,
  EventPayload,
} from '@app/contracts';
import { LicencesProjectionService } from '../licences-projection.service';

/** Every change carries the licence's whole state: one projection applies them all. */
@Controller()
export class ProjectWhenLicenceChangedHandler {
  constructor(private readonly projection: LicencesProjectionService) {}

  @OnEvent(AFFAIRS_LICENCE_ISSUED_V1)
  async issued(state: EventPayload<typeof AFFAIRS_LICENCE_ISSUED_V1>, context: BusContext): Promise<void> {
    await this.projection.apply(context.manager, context.origin, state);
  }

  @OnEvent(AFFAIRS_LICENCE_SUSPENDED_V1)
  async suspended(state: EventPayload<typeof AFFAIRS_LICENCE_SUSPENDED_V1>, context: BusContext): Promise<void> {
    await this.projection.apply(context.manager, context.origin, state);
  }

  @OnEvent(AFFAIRS_LICENCE_REVOKED_V1)
  async revoked(state: EventPayload<typeof AFFAIRS_LICENCE_REVOKED_V1>, context: BusContext): Promise<void> {
    await this.projection.apply(context.manager, context.origin, state);
  }

  @OnEvent(AFFAIRS_LICENCE_REINSTATED_V1)
  async reinstated(state: EventPayload<typeof AFFAIRS_LICENCE_REINSTATED_V1>, context: BusContext): Promise<void> {
    await this.projection.apply(context.manager, context.origin, state);
  }
}
