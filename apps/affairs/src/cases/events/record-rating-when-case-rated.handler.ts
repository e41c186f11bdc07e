import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { AFFAIRS_CASE_RATED_V1, EventPayload } from '@app/contracts';
import { CasesService } from '../cases.service';

@Controller()
export class RecordRatingWhenCaseRatedHandler {
  constructor(private readonly cases: CasesService) {}

  @OnEvent(AFFAIRS_CASE_RATED_V1)
  async handle(rating: EventPayload<typeof AFFAIRS_CASE_RATED_V1>, context: BusContext): Promise<void> {
    await this.cases.rate(context.manager, context.origin, rating);
  }
}
