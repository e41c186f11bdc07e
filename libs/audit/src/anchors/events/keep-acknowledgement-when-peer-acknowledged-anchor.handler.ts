import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { AUDIT_ANCHOR_ACKNOWLEDGED_V1, EventPayload } from '@app/contracts';
import { AuditAnchorService } from '../audit-anchor.service';

@Controller()
export class KeepAcknowledgementWhenPeerAcknowledgedAnchorHandler {
  constructor(private readonly anchors: AuditAnchorService) {}

  @OnEvent(AUDIT_ANCHOR_ACKNOWLEDGED_V1)
  async keepAcknowledgement(
    ack: EventPayload<typeof AUDIT_ANCHOR_ACKNOWLEDGED_V1>,
    context: BusContext,
  ): Promise<void> {
    await this.anchors.keepAcknowledgement(context.manager, context.origin, ack, context.event.time!);
  }
}
