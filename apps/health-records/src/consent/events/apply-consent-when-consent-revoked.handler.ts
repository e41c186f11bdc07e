import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { HEALTH_CONSENT_REVOKED_V1, ConsentRevokedV1 } from '@app/contracts';
import { ConsentProjectionService } from '../consent-projection.service';

/** A peer's patient withdrew a consent; the peer is the authority. */
@Controller()
export class ApplyConsentWhenConsentRevokedHandler {
  constructor(private readonly consents: ConsentProjectionService) {}

  @EventPattern(HEALTH_CONSENT_REVOKED_V1)
  async revoked(@Payload() payload: ConsentRevokedV1, @Ctx() context: BusContext): Promise<void> {
    await this.consents.applyRevocation(context.manager, context.origin, payload);
  }
}
