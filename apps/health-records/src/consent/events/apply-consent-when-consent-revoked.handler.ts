import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { HEALTH_CONSENT_REVOKED_V1, EventPayload } from '@app/contracts';
import { ConsentProjectionService } from '../consent-projection.service';

/** A peer's patient withdrew a consent; the peer is the authority. */
@Controller()
export class ApplyConsentWhenConsentRevokedHandler {
  constructor(private readonly consents: ConsentProjectionService) {}

  @OnEvent(HEALTH_CONSENT_REVOKED_V1)
  async revoked(payload: EventPayload<typeof HEALTH_CONSENT_REVOKED_V1>, context: BusContext): Promise<void> {
    await this.consents.applyRevocation(context.manager, context.origin, payload);
  }
}
