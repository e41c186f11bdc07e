import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, TALENT_CERTIFICATION_SUSPENDED_V1 } from '@app/contracts';
import { CertificationProjectionService } from '../certification-projection.service';

@Controller()
export class ProjectWhenCertificationSuspendedHandler {
  constructor(private readonly projection: CertificationProjectionService) {}

  @OnEvent(TALENT_CERTIFICATION_SUSPENDED_V1)
  async project(state: EventPayload<typeof TALENT_CERTIFICATION_SUSPENDED_V1>, context: BusContext): Promise<void> {
    await this.projection.apply(context.manager, context.origin, state);
  }
}
