import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import {
  LAB_QUALIFICATION_GRANTED_V1,
  LAB_QUALIFICATION_SUSPENDED_V1,
  LabQualificationGrantedV1,
  LabQualificationSuspendedV1,
} from '@app/contracts';
import { QualificationService } from '../qualification/qualification.service';

@Controller()
export class StoreQualificationWhenChangedHandler {
  constructor(private readonly qualifications: QualificationService) {}

  @EventPattern(LAB_QUALIFICATION_GRANTED_V1)
  async granted(@Payload() qualification: LabQualificationGrantedV1, @Ctx() context: BusContext): Promise<void> {
    await this.qualifications.storeGranted(context.manager, context.origin, qualification);
  }

  @EventPattern(LAB_QUALIFICATION_SUSPENDED_V1)
  async suspended(@Payload() suspension: LabQualificationSuspendedV1, @Ctx() context: BusContext): Promise<void> {
    await this.qualifications.storeSuspended(context.manager, context.origin, suspension);
  }
}
