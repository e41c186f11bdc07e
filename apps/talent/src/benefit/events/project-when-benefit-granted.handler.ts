import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, TALENT_BENEFIT_GRANTED_V1 } from '@app/contracts';
import { BenefitProjectionService } from '../benefit-projection.service';

@Controller()
export class ProjectWhenBenefitGrantedHandler {
  constructor(private readonly projection: BenefitProjectionService) {}

  @OnEvent(TALENT_BENEFIT_GRANTED_V1)
  async project(grant: EventPayload<typeof TALENT_BENEFIT_GRANTED_V1>, context: BusContext): Promise<void> {
    await this.projection.applyGrant(context.manager, context.origin, grant);
  }
}
