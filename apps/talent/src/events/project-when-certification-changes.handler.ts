import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import {
  CertificationStateV1,
  TALENT_CERTIFICATION_RENEWED_V1,
  TALENT_CERTIFICATION_REVOKED_V1,
  TALENT_CERTIFICATION_SUSPENDED_V1,
  TALENT_CERTIFIED_V1,
} from '@app/contracts';
import { CertificationRepository } from '../certification/certification.repository';

/** Recognises another city's certifications: every change carries the whole state, the highest version wins. */
@Controller()
export class ProjectWhenCertificationChangesHandler {
  constructor(private readonly certifications: CertificationRepository) {}

  // One decorator with every type: stacked @EventPattern decorators replace one another.
  @EventPattern([
    TALENT_CERTIFIED_V1,
    TALENT_CERTIFICATION_RENEWED_V1,
    TALENT_CERTIFICATION_SUSPENDED_V1,
    TALENT_CERTIFICATION_REVOKED_V1,
  ])
  async project(@Payload() state: CertificationStateV1, @Ctx() context: BusContext): Promise<void> {
    await this.certifications.upsert(context.manager, context.origin, state);
  }
}
