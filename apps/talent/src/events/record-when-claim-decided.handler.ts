import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ClaimDecidedV1, TALENT_CLAIM_DECIDED_V1 } from '@app/contracts';
import { BenefitService } from '../benefit/benefit.service';

@Controller()
export class RecordWhenClaimDecidedHandler {
  constructor(private readonly benefits: BenefitService) {}

  @EventPattern(TALENT_CLAIM_DECIDED_V1)
  async record(@Payload() answer: ClaimDecidedV1, @Ctx() context: BusContext): Promise<void> {
    await this.benefits.applyAnswer(context.manager, answer);
  }
}
