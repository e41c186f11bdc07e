import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, LAB_QUALIFICATION_SUSPENDED_V1 } from '@app/contracts';
import { QualificationProjectionService } from '../qualification-projection.service';

/** A peer suspended one of its labs' qualifications. */
@Controller()
export class StoreSuspensionWhenSuspendedHandler {
  constructor(private readonly qualifications: QualificationProjectionService) {}

  @OnEvent(LAB_QUALIFICATION_SUSPENDED_V1)
  async handle(suspension: EventPayload<typeof LAB_QUALIFICATION_SUSPENDED_V1>, context: BusContext): Promise<void> {
    await this.qualifications.storeSuspended(context.manager, context.origin, suspension);
  }
}
