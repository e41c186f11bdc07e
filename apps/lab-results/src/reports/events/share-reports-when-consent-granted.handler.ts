import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, HEALTH_CONSENT_GRANTED_V1 } from '@app/contracts';
import { ReportsSharingService } from '../reports-sharing.service';

/** A consent from health-records, of this city's own patient (its copy to its own region) or granted to this city. */
@Controller()
export class ShareReportsWhenConsentGrantedHandler {
  constructor(private readonly sharing: ReportsSharingService) {}

  @OnEvent(HEALTH_CONSENT_GRANTED_V1)
  async handle(grant: EventPayload<typeof HEALTH_CONSENT_GRANTED_V1>, context: BusContext): Promise<void> {
    await this.sharing.shareWhenGranted(context.manager, context.origin, grant);
  }
}
