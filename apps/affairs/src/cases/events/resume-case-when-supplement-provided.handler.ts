import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { AFFAIRS_SUPPLEMENT_PROVIDED_V1, EventPayload } from '@app/contracts';
import { CaseIntakeService } from '../case-intake.service';

@Controller()
export class ResumeCaseWhenSupplementProvidedHandler {
  constructor(private readonly intake: CaseIntakeService) {}

  @OnEvent(AFFAIRS_SUPPLEMENT_PROVIDED_V1)
  async handle(supplement: EventPayload<typeof AFFAIRS_SUPPLEMENT_PROVIDED_V1>, context: BusContext): Promise<void> {
    await this.intake.receiveSupplement(context.manager, context.origin, supplement);
  }
}
