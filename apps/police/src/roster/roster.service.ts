import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { DutyShiftV1, ROSTER_PUBLISHED_V1 } from '@app/contracts';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { PoliceCatalogue } from '../catalogue/police-catalogue';
import { AlertFeedHub } from '../feed/alert-feed.hub';
import { RosterPublishDto } from './dto/roster-publish.dto';

export interface RosterShift extends DutyShiftV1 {
  region: string;
}

/** Duty rosters: each region publishes which of its units are on joint duty, in which zone, when; both see both. */
@Injectable()
export class RosterService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: BusPublisher,
    private readonly catalogue: PoliceCatalogue,
    private readonly hub: AlertFeedHub,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly replay: ReplayService,
  ) {}

  /** The peers' duty rosters. */
  onModuleInit(): void {
    this.replay.registerProjection(async (manager) => {
      await manager.query('delete from police_shift where region <> $1', [this.config.region]);
    });
  }

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
      await this.store(manager, this.config.region, shifts);
      await this.publisher.publish(manager, ROSTER_PUBLISHED_V1, `roster/${this.config.region}`, { shifts });
    });
    this.hub.refreshFilters();
    return shifts.map((shift) => ({ ...shift, region: this.config.region }));
  }

  async store(manager: EntityManager, region: string, shifts: DutyShiftV1[]): Promise<void> {
    await manager.query(
      `insert into police_shift (shift_id, region, unit, zone, starts_at, ends_at)
       select id, $1, unit, zone, starts_at, ends_at
         from unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
              as s(id, unit, zone, starts_at, ends_at)
       on conflict do nothing`,
      [
        region,
        shifts.map((s) => s.shiftId),
        shifts.map((s) => s.unit),
        shifts.map((s) => s.zone),
        shifts.map((s) => s.startsAt),
        shifts.map((s) => s.endsAt),
      ],
    );
  }

  /** Shifts of every region on duty at `at` (default now), or still to come when `upcoming`. */
  async list(options: { at?: Date; region?: string; upcoming: boolean }): Promise<RosterShift[]> {
    const at = options.at ?? this.clock.now();
    const rows = await this.dataSource.query<
      { shift_id: string; region: string; unit: string; zone: string; starts_at: Date; ends_at: Date }[]
    >(
      `select * from police_shift
        where ends_at > $1 and ($2 or starts_at <= $1) and ($3::text is null or region = $3)
        order by region, zone, starts_at, unit limit 5000`,
      [at, options.upcoming, options.region ?? null],
    );
    return rows.map((row) => ({
      shiftId: row.shift_id,
      region: row.region,
      unit: row.unit,
      zone: row.zone,
      startsAt: row.starts_at.toISOString(),
      endsAt: row.ends_at.toISOString(),
    }));
  }
}
