import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { HEALTH_CONSENT_GRANTED_V1, EventPayload } from '@app/contracts';
import { ConsentProjectionService } from '../consent-projection.service';

/** A peer's patient consented to this city holding their records; the peer is the authority. */
@Controller()
export class ApplyConsentWhenConsentGrantedHandler {
  constructor(private readonly consents: ConsentProjectionService) {}

  @OnEvent(HEALTH_CONSENT_GRANTED_V1)
  async granted(payload: EventPayload<typeof HEALTH_CONSENT_GRANTED_V1>, context: BusContext): Promise<void> {
    await this.consents.applyGrant(context.manager, context.origin, payload);
  }
}
