import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ConsentRevokedV1, HEALTH_CONSENT_REVOKED_V1 } from '@app/contracts';
import { ReportsSharingService } from '../reports-sharing.service';

/** A revocation from health-records, of this city's own patient or of a consent that was granted to this city. */
@Controller()
export class PurgeReportsWhenConsentRevokedHandler {
  constructor(private readonly sharing: ReportsSharingService) {}

  @EventPattern(HEALTH_CONSENT_REVOKED_V1)
  async handle(@Payload() revocation: ConsentRevokedV1, @Ctx() context: BusContext): Promise<void> {
    await this.sharing.purgeWhenRevoked(context.manager, context.origin, revocation);
  }
}
