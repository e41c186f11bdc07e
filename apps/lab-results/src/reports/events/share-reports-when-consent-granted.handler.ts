import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ConsentGrantedV1, HEALTH_CONSENT_GRANTED_V1 } from '@app/contracts';
import { ReportsSharingService } from '../reports-sharing.service';

/** A consent from health-records, of this city's own patient (its copy to its own region) or granted to this city. */
@Controller()
export class ShareReportsWhenConsentGrantedHandler {
  constructor(private readonly sharing: ReportsSharingService) {}

  @EventPattern(HEALTH_CONSENT_GRANTED_V1)
  async handle(@Payload() grant: ConsentGrantedV1, @Ctx() context: BusContext): Promise<void> {
    await this.sharing.shareWhenGranted(context.manager, context.origin, grant);
  }
}
