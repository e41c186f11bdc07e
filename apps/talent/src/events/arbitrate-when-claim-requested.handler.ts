import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { AppConfig } from '@app/config';
import { ClaimRequestedV1, TALENT_CLAIM_REQUESTED_V1 } from '@app/contracts';
import { BenefitService } from '../benefit/benefit.service';
import { isForThisRegion } from './targeted';

@Controller()
export class ArbitrateWhenClaimRequestedHandler {
  constructor(
    private readonly config: AppConfig,
    private readonly benefits: BenefitService,
  ) {}

  @EventPattern(TALENT_CLAIM_REQUESTED_V1)
  async arbitrate(@Payload() claim: ClaimRequestedV1, @Ctx() context: BusContext): Promise<void> {
    if (isForThisRegion(context, this.config.region)) await this.benefits.arbitrate(context.manager, claim);
  }
}
