import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { LAB_QUALIFICATION_SUSPENDED_V1, LabQualificationSuspendedV1 } from '@app/contracts';
import { QualificationProjectionService } from '../qualification-projection.service';

/** A peer suspended one of its labs' qualifications. */
@Controller()
export class StoreSuspensionWhenSuspendedHandler {
  constructor(private readonly qualifications: QualificationProjectionService) {}

  @EventPattern(LAB_QUALIFICATION_SUSPENDED_V1)
  async handle(@Payload() suspension: LabQualificationSuspendedV1, @Ctx() context: BusContext): Promise<void> {
    await this.qualifications.storeSuspended(context.manager, context.origin, suspension);
  }
}
