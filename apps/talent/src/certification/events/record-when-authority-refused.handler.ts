import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, TALENT_AUTHORITY_REFUSED_V1 } from '@app/contracts';
import { CertificationService } from '../certification.service';

@Controller()
export class RecordWhenAuthorityRefusedHandler {
  constructor(private readonly certifications: CertificationService) {}

  @OnEvent(TALENT_AUTHORITY_REFUSED_V1)
  async record(payload: EventPayload<typeof TALENT_AUTHORITY_REFUSED_V1>, context: BusContext): Promise<void> {
    await this.certifications.refused(context.manager, payload);
  }
}
