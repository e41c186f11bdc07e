import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import { DutyShiftV1, ROSTER_PUBLISHED_V1 } from '@app/contracts';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { PoliceCatalogue } from '../catalogue/police-catalogue';
import { AlertFeedHub } from '../feed/alert-feed.hub';
import { RosterPublishDto } from './dto/roster-publish.dto';
import { RosterRepository, RosterShift } from './roster.repository';

/** This region's duty roster: which of its units are on joint duty, in which zone, when; published to the others. */
@Injectable()
export class RosterService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly roster: RosterRepository,
    private readonly publisher: BusPublisher,
    private readonly catalogue: PoliceCatalogue,
    private readonly hub: AlertFeedHub,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async publish(dto: RosterPublishDto): Promise<RosterShift[]> {
    const now = this.clock.now().getTime();
    const shifts: DutyShiftV1[] = dto.shifts.map((shift, i) => {
      this.catalogue.assertZone(shift.zone);
      const startsAt = Date.parse(shift.startsAt);
      const endsAt = Date.parse(shift.endsAt);
      if (endsAt <= startsAt || endsAt <= now) {
        throw new DomainError('POLICE.BAD_SHIFT', 'invalid', `shifts[${i}] must end after it starts, in the future`, {
          details: { index: i, startsAt: shift.startsAt, endsAt: shift.endsAt },
        });
      }
      return {
        shiftId: randomUUID(),
        unit: shift.unit,
        zone: shift.zone,
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
      };
    });
    await this.dataSource.transaction(async (manager) => {
      await this.roster.insert(manager, this.config.region, shifts);
      await this.publisher.publish(manager, ROSTER_PUBLISHED_V1, `roster/${this.config.region}`, { shifts });
    });
    this.hub.refreshFilters();
    return shifts.map((shift) => ({ ...shift, region: this.config.region }));
  }
}
