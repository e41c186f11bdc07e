import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { ROSTER_PUBLISHED_V1, EventPayload } from '@app/contracts';
import { RosterProjectionService } from '../roster-projection.service';

/** Another region published its duty roster. */
@Controller()
export class StoreRosterWhenRosterPublishedHandler {
  constructor(private readonly roster: RosterProjectionService) {}

  @OnEvent(ROSTER_PUBLISHED_V1)
  published(roster: EventPayload<typeof ROSTER_PUBLISHED_V1>, context: BusContext): Promise<void> {
    return this.roster.store(context.manager, context.origin, roster.shifts);
  }
}
