import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { AppConfig } from '@app/config';
import { ClaimDecidedV1, TALENT_CLAIM_DECIDED_V1 } from '@app/contracts';
import { BenefitService } from '../benefit/benefit.service';
import { isForThisRegion } from './targeted';

@Controller()
export class RecordWhenClaimDecidedHandler {
  constructor(
    private readonly config: AppConfig,
    private readonly benefits: BenefitService,
  ) {}

  @EventPattern(TALENT_CLAIM_DECIDED_V1)
  async record(@Payload() answer: ClaimDecidedV1, @Ctx() context: BusContext): Promise<void> {
    if (isForThisRegion(context, this.config.region)) await this.benefits.applyAnswer(context.manager, answer);
  }
}
