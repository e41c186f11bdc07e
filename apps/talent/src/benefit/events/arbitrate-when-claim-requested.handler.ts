import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, TALENT_CLAIM_REQUESTED_V1 } from '@app/contracts';
import { BenefitArbitrationService } from '../benefit-arbitration.service';

@Controller()
export class ArbitrateWhenClaimRequestedHandler {
  constructor(private readonly arbitration: BenefitArbitrationService) {}

  @OnEvent(TALENT_CLAIM_REQUESTED_V1)
  async arbitrate(claim: EventPayload<typeof TALENT_CLAIM_REQUESTED_V1>, context: BusContext): Promise<void> {
    await this.arbitration.arbitrateFrom(context.manager, context.origin, claim);
  }
}
