import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, TALENT_AUTHORITY_REQUESTED_V1 } from '@app/contracts';
import { CertificationService } from '../certification.service';

@Controller()
export class HandOverWhenAuthorityRequestedHandler {
  constructor(private readonly certifications: CertificationService) {}

  @OnEvent(TALENT_AUTHORITY_REQUESTED_V1)
  async handOver(payload: EventPayload<typeof TALENT_AUTHORITY_REQUESTED_V1>, context: BusContext): Promise<void> {
    await this.certifications.answerAuthorityRequest(context.manager, context.origin, payload);
  }
}
