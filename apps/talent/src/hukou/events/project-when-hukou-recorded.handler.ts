import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { HukouRecordedV1, TALENT_HUKOU_RECORDED_V1 } from '@app/contracts';
import { HukouProjectionService } from '../hukou-projection.service';

@Controller()
export class ProjectWhenHukouRecordedHandler {
  constructor(private readonly projection: HukouProjectionService) {}

  @EventPattern(TALENT_HUKOU_RECORDED_V1)
  async project(@Payload() fact: HukouRecordedV1, @Ctx() context: BusContext): Promise<void> {
    await this.projection.apply(context.manager, context.origin, fact);
  }
}
