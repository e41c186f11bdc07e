import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { AFFAIRS_MATERIAL_CHUNK_V1, EventPayload } from '@app/contracts';
import { CaseIntakeService } from '../case-intake.service';

@Controller()
export class StoreChunkWhenMaterialChunkSentHandler {
  constructor(private readonly intake: CaseIntakeService) {}

  @OnEvent(AFFAIRS_MATERIAL_CHUNK_V1)
  async handle(chunk: EventPayload<typeof AFFAIRS_MATERIAL_CHUNK_V1>, context: BusContext): Promise<void> {
    await this.intake.receiveChunk(context.manager, chunk);
  }
}
