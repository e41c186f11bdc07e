import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, LEDGER_HEAD_REFUSED_V1 } from '@app/contracts';
import { LogProjectionService } from '../log-projection.service';

/** A peer refused one of this city's heads. */
@Controller()
export class RecordWhenHeadRefusedHandler {
  constructor(private readonly logs: LogProjectionService) {}

  @OnEvent(LEDGER_HEAD_REFUSED_V1)
  refused(refusal: EventPayload<typeof LEDGER_HEAD_REFUSED_V1>, context: BusContext): Promise<void> {
    return this.logs.recordRefusal(context.manager, context.origin, refusal);
  }
}
