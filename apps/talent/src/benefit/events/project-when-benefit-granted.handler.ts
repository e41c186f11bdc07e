import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { BenefitGrantedV1, TALENT_BENEFIT_GRANTED_V1 } from '@app/contracts';
import { BenefitProjectionService } from '../benefit-projection.service';

@Controller()
export class ProjectWhenBenefitGrantedHandler {
  constructor(private readonly projection: BenefitProjectionService) {}

  @EventPattern(TALENT_BENEFIT_GRANTED_V1)
  async project(@Payload() grant: BenefitGrantedV1, @Ctx() context: BusContext): Promise<void> {
    await this.projection.applyGrant(context.manager, context.origin, grant);
  }
}
