import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { AFFAIRS_APPLICATION_SUBMITTED_V1, EventPayload } from '@app/contracts';
import { CaseIntakeService } from '../case-intake.service';

@Controller()
export class OpenCaseWhenApplicationSubmittedHandler {
  constructor(private readonly intake: CaseIntakeService) {}

  @OnEvent(AFFAIRS_APPLICATION_SUBMITTED_V1)
  async handle(application: EventPayload<typeof AFFAIRS_APPLICATION_SUBMITTED_V1>, context: BusContext): Promise<void> {
    await this.intake.receiveApplication(context.manager, context.origin, application);
  }
}
