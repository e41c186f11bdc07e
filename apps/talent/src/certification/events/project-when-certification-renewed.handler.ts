import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { CertificationStateV1, TALENT_CERTIFICATION_RENEWED_V1 } from '@app/contracts';
import { CertificationProjectionService } from '../certification-projection.service';

@Controller()
export class ProjectWhenCertificationRenewedHandler {
  constructor(private readonly projection: CertificationProjectionService) {}

  @EventPattern(TALENT_CERTIFICATION_RENEWED_V1)
  async project(@Payload() state: CertificationStateV1, @Ctx() context: BusContext): Promise<void> {
    await this.projection.apply(context.manager, context.origin, state);
  }
}
