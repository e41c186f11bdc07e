import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ClaimRequestedV1, TALENT_CLAIM_REQUESTED_V1 } from '@app/contracts';
import { BenefitService } from '../benefit/benefit.service';

@Controller()
export class ArbitrateWhenClaimRequestedHandler {
  constructor(private readonly benefits: BenefitService) {}

  @EventPattern(TALENT_CLAIM_REQUESTED_V1)
  async arbitrate(@Payload() claim: ClaimRequestedV1, @Ctx() context: BusContext): Promise<void> {
    await this.benefits.arbitrateFrom(context.manager, context.origin, claim);
  }
}
