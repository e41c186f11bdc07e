import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { LAB_RECOGNITION_DECIDED_V1, LabRecognitionDecidedV1 } from '@app/contracts';
import { RecognitionProjectionService } from '../recognition-projection.service';

/** A partner's decision on a result issued here; counted once, however often it is delivered. */
@Controller()
export class RecordDecisionWhenDecidedHandler {
  constructor(private readonly decisions: RecognitionProjectionService) {}

  @EventPattern(LAB_RECOGNITION_DECIDED_V1)
  async handle(@Payload() decision: LabRecognitionDecidedV1, @Ctx() context: BusContext): Promise<void> {
    await this.decisions.store(context.manager, context.origin, decision);
  }
}
