import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import {
  ConsentGrantedV1,
  ConsentRevokedV1,
  HEALTH_CONSENT_GRANTED_V1,
  HEALTH_CONSENT_REVOKED_V1,
} from '@app/contracts';
import { ConsentService } from '@app/consent';

/** A peer's patient consented to (or withdrew) this city holding their records; the peer is the authority. */
@Controller()
export class ApplyConsentWhenConsentChangesHandler {
  constructor(private readonly consents: ConsentService) {}

  @EventPattern(HEALTH_CONSENT_GRANTED_V1)
  async granted(@Payload() grant: ConsentGrantedV1, @Ctx() context: BusContext): Promise<void> {
    await this.consents.apply(context.manager, context.origin, { type: HEALTH_CONSENT_GRANTED_V1, data: grant });
  }

  @EventPattern(HEALTH_CONSENT_REVOKED_V1)
  async revoked(@Payload() revocation: ConsentRevokedV1, @Ctx() context: BusContext): Promise<void> {
    await this.consents.apply(context.manager, context.origin, { type: HEALTH_CONSENT_REVOKED_V1, data: revocation });
  }
}
