import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, LAB_QUALIFICATION_GRANTED_V1 } from '@app/contracts';
import { QualificationProjectionService } from '../qualification-projection.service';

@Controller()
export class StoreQualificationWhenGrantedHandler {
  constructor(private readonly qualifications: QualificationProjectionService) {}

  @OnEvent(LAB_QUALIFICATION_GRANTED_V1)
  async handle(qualification: EventPayload<typeof LAB_QUALIFICATION_GRANTED_V1>, context: BusContext): Promise<void> {
    await this.qualifications.storeGranted(context.manager, context.origin, qualification);
  }
}
