import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DutyShiftV1 } from '@app/contracts';

export interface RosterShift extends DutyShiftV1 {
  region: string;
}

interface ShiftRecord {
  shift_id: string;
  region: string;
  unit: string;
  zone: string;
  starts_at: Date;
  ends_at: Date;
}

/** The duty shifts of every region (police_shift). */
@Injectable()
export class RosterRepository {
  async insert(manager: EntityManager, region: string, shifts: DutyShiftV1[]): Promise<void> {
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

  /** Shifts on duty at `at`, or also those still to come when `upcoming`; of one region when given. */
  async list(
    manager: EntityManager,
    options: { at: Date; region?: string; upcoming: boolean },
    limit: number,
  ): Promise<RosterShift[]> {
    const rows = await manager.query<ShiftRecord[]>(
      `select * from police_shift
        where ends_at > $1 and ($2 or starts_at <= $1) and ($3::text is null or region = $3)
        order by region, zone, starts_at, unit limit $4`,
      [options.at, options.upcoming, options.region ?? null, limit],
    );
    return rows.map(toShift);
  }

  /** The shifts these units of `region` are on at `at`. */
  async onDuty(manager: EntityManager, region: string, units: string[], at: Date): Promise<RosterShift[]> {
    const rows = await manager.query<ShiftRecord[]>(
      'select * from police_shift where region = $1 and unit = any($2) and starts_at <= $3 and ends_at > $3',
      [region, units, at],
    );
    return rows.map(toShift);
  }

  /** The replay reset: the other regions' rosters. */
  async deletePeers(manager: EntityManager, region: string): Promise<void> {
    await manager.query('delete from police_shift where region <> $1', [region]);
  }
}

function toShift(row: ShiftRecord): RosterShift {
  return {
    shiftId: row.shift_id,
    region: row.region,
    unit: row.unit,
    zone: row.zone,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
  };
}
