import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, HEALTH_CONSENT_REVOKED_V1 } from '@app/contracts';
import { ReportsSharingService } from '../reports-sharing.service';

/** A revocation from health-records, of this city's own patient or of a consent that was granted to this city. */
@Controller()
export class PurgeReportsWhenConsentRevokedHandler {
  constructor(private readonly sharing: ReportsSharingService) {}

  @OnEvent(HEALTH_CONSENT_REVOKED_V1)
  async handle(revocation: EventPayload<typeof HEALTH_CONSENT_REVOKED_V1>, context: BusContext): Promise<void> {
    await this.sharing.purgeWhenRevoked(context.manager, context.origin, revocation);
  }
}
