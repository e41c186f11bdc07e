import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, LEDGER_HEAD_SUBMITTED_V1 } from '@app/contracts';
import { LogProjectionService } from '../log-projection.service';

/** A peer submitted its log's head: cosign it, or refuse it with the reason. */
@Controller()
export class WitnessWhenHeadSubmittedHandler {
  constructor(private readonly logs: LogProjectionService) {}

  @OnEvent(LEDGER_HEAD_SUBMITTED_V1)
  submitted(head: EventPayload<typeof LEDGER_HEAD_SUBMITTED_V1>, context: BusContext): Promise<void> {
    return this.logs.witness(context.manager, context.origin, head, context.event.id);
  }
}
