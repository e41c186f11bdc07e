import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { AUDIT_ANCHORED_V1, EventPayload } from '@app/contracts';
import { AuditAnchorService } from '../audit-anchor.service';

@Controller()
export class KeepAnchorWhenPeerAnchoredHandler {
  constructor(private readonly anchors: AuditAnchorService) {}

  @OnEvent(AUDIT_ANCHORED_V1)
  async keepAnchor(anchor: EventPayload<typeof AUDIT_ANCHORED_V1>, context: BusContext): Promise<void> {
    await this.anchors.keepPeerAnchor(context.manager, context.origin, anchor, {
      id: context.event.id,
      anchoredAt: context.event.time!,
    });
  }
}
