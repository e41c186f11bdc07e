import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@app/platform';
import { RosterRepository, RosterShift } from './roster.repository';

/** Shifts one answer lists at most. */
const LIST_LIMIT = 5000;

@Injectable()
export class RosterQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly roster: RosterRepository,
    private readonly clock: Clock,
  ) {}

  /** Shifts of every region on duty at `at` (default now), or still to come when `upcoming`. */
  async list(options: { at?: Date; region?: string; upcoming: boolean }): Promise<RosterShift[]> {
    return this.roster.list(
      this.dataSource.manager,
      { at: options.at ?? this.clock.now(), region: options.region, upcoming: options.upcoming },
      LIST_LIMIT,
    );
  }
}
