import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, TALENT_AUTHORITY_HANDED_OVER_V1 } from '@app/contracts';
import { CertificationService } from '../certification.service';

@Controller()
export class CertifyWhenAuthorityHandedOverHandler {
  constructor(private readonly certifications: CertificationService) {}

  @OnEvent(TALENT_AUTHORITY_HANDED_OVER_V1)
  async certify(payload: EventPayload<typeof TALENT_AUTHORITY_HANDED_OVER_V1>, context: BusContext): Promise<void> {
    await this.certifications.takeOver(context.manager, payload);
  }
}
