import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { HEALTH_CONSENT_GRANTED_V1, ConsentGrantedV1 } from '@app/contracts';
import { ConsentProjectionService } from '../consent-projection.service';

/** A peer's patient consented to this city holding their records; the peer is the authority. */
@Controller()
export class ApplyConsentWhenConsentGrantedHandler {
  constructor(private readonly consents: ConsentProjectionService) {}

  @EventPattern(HEALTH_CONSENT_GRANTED_V1)
  async granted(@Payload() payload: ConsentGrantedV1, @Ctx() context: BusContext): Promise<void> {
    await this.consents.applyGrant(context.manager, context.origin, payload);
  }
}
