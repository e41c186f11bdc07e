import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, LAB_RECOGNITION_DECIDED_V1 } from '@app/contracts';
import { RecognitionProjectionService } from '../recognition-projection.service';

/** A partner's decision on a result issued here; counted once, however often it is delivered. */
@Controller()
export class RecordDecisionWhenDecidedHandler {
  constructor(private readonly decisions: RecognitionProjectionService) {}

  @OnEvent(LAB_RECOGNITION_DECIDED_V1)
  async handle(decision: EventPayload<typeof LAB_RECOGNITION_DECIDED_V1>, context: BusContext): Promise<void> {
    await this.decisions.store(context.manager, context.origin, decision);
  }
}
