import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { LAB_QUALIFICATION_GRANTED_V1, LabQualificationGrantedV1 } from '@app/contracts';
import { QualificationProjectionService } from '../qualification-projection.service';

@Controller()
export class StoreQualificationWhenGrantedHandler {
  constructor(private readonly qualifications: QualificationProjectionService) {}

  @EventPattern(LAB_QUALIFICATION_GRANTED_V1)
  async handle(@Payload() qualification: LabQualificationGrantedV1, @Ctx() context: BusContext): Promise<void> {
    await this.qualifications.storeGranted(context.manager, context.origin, qualification);
  }
}
