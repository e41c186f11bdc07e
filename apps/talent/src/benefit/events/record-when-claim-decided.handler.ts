import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ClaimDecidedV1, TALENT_CLAIM_DECIDED_V1 } from '@app/contracts';
import { BenefitAnswerService } from '../benefit-answer.service';

@Controller()
export class RecordWhenClaimDecidedHandler {
  constructor(private readonly answers: BenefitAnswerService) {}

  @EventPattern(TALENT_CLAIM_DECIDED_V1)
  async record(@Payload() answer: ClaimDecidedV1, @Ctx() context: BusContext): Promise<void> {
    await this.answers.record(context.manager, answer);
  }
}
