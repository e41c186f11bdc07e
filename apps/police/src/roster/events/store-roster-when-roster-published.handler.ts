import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ROSTER_PUBLISHED_V1, RosterPublishedV1 } from '@app/contracts';
import { RosterProjectionService } from '../roster-projection.service';

/** Another region published its duty roster. */
@Controller()
export class StoreRosterWhenRosterPublishedHandler {
  constructor(private readonly roster: RosterProjectionService) {}

  @EventPattern(ROSTER_PUBLISHED_V1)
  published(@Payload() roster: RosterPublishedV1, @Ctx() context: BusContext): Promise<void> {
    return this.roster.store(context.manager, context.origin, roster.shifts);
  }
}
