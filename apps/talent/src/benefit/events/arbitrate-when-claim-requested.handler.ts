import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ClaimRequestedV1, TALENT_CLAIM_REQUESTED_V1 } from '@app/contracts';
import { BenefitArbitrationService } from '../benefit-arbitration.service';

@Controller()
export class ArbitrateWhenClaimRequestedHandler {
  constructor(private readonly arbitration: BenefitArbitrationService) {}

  @EventPattern(TALENT_CLAIM_REQUESTED_V1)
  async arbitrate(@Payload() claim: ClaimRequestedV1, @Ctx() context: BusContext): Promise<void> {
    await this.arbitration.arbitrateFrom(context.manager, context.origin, claim);
  }
}
