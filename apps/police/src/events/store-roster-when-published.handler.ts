import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { ROSTER_PUBLISHED_V1, RosterPublishedV1 } from '@app/contracts';
import { RosterService } from '../roster/roster.service';

@Controller()
export class StoreRosterWhenPublishedHandler {
  constructor(private readonly roster: RosterService) {}

  @EventPattern(ROSTER_PUBLISHED_V1)
  published(@Payload() roster: RosterPublishedV1, @Ctx() context: BusContext) {
    return this.roster.store(context.manager, context.origin, roster.shifts);
  }
}
