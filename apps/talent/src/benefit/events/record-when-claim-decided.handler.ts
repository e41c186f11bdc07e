import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, TALENT_CLAIM_DECIDED_V1 } from '@app/contracts';
import { BenefitAnswerService } from '../benefit-answer.service';

@Controller()
export class RecordWhenClaimDecidedHandler {
  constructor(private readonly answers: BenefitAnswerService) {}

  @OnEvent(TALENT_CLAIM_DECIDED_V1)
  async record(answer: EventPayload<typeof TALENT_CLAIM_DECIDED_V1>, context: BusContext): Promise<void> {
    await this.answers.record(context.manager, answer);
  }
}
