import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, TALENT_HUKOU_RECORDED_V1 } from '@app/contracts';
import { HukouProjectionService } from '../hukou-projection.service';

@Controller()
export class ProjectWhenHukouRecordedHandler {
  constructor(private readonly projection: HukouProjectionService) {}

  @OnEvent(TALENT_HUKOU_RECORDED_V1)
  async project(fact: EventPayload<typeof TALENT_HUKOU_RECORDED_V1>, context: BusContext): Promise<void> {
    await this.projection.apply(context.manager, context.origin, fact);
  }
}
