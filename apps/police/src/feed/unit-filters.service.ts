import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { RosterRepository } from '../roster/roster.repository';
import { SubscriptionRepository } from '../subscriptions/subscription.repository';
import { SubscriptionFilter, UnitFilter } from './alert-match';

/** What units of this region receive: their subscriptions, and the zones of the shifts they are on. */
@Injectable()
export class UnitFiltersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionRepository,
    private readonly roster: RosterRepository,
    private readonly config: AppConfig,
  ) {}

  /** The filters of these units at `at`, every unit given having one. */
  async of(units: string[], at: Date): Promise<Map<string, UnitFilter>> {
    // Plain reads on the pool: two connections at once, outside any caller's transaction.
    const manager = this.dataSource.manager;
    const [subscriptions, shifts] = await Promise.all([
      this.subscriptions.ofUnits(manager, units),
      this.roster.onDuty(manager, this.config.region, units, at),
    ]);
    const filters = new Map<string, { subscriptions: SubscriptionFilter[]; dutyZones: Set<string> }>(
      units.map((unit) => [unit, { subscriptions: [], dutyZones: new Set() }]),
    );
    for (const { unit, areas, severities, zones } of subscriptions) {
      filters.get(unit)?.subscriptions.push({ areas, severities, zones });
    }
    for (const { unit, zone } of shifts) filters.get(unit)?.dutyZones.add(zone);
    return filters;
  }
}
