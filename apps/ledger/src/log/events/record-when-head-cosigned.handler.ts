import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, LEDGER_HEAD_COSIGNED_V1 } from '@app/contracts';
import { LogProjectionService } from '../log-projection.service';

/** A peer cosigned one of this city's heads. */
@Controller()
export class RecordWhenHeadCosignedHandler {
  constructor(private readonly logs: LogProjectionService) {}

  @OnEvent(LEDGER_HEAD_COSIGNED_V1)
  cosigned(cosignature: EventPayload<typeof LEDGER_HEAD_COSIGNED_V1>, context: BusContext): Promise<void> {
    return this.logs.recordCosignature(context.manager, context.origin, cosignature);
  }
}
