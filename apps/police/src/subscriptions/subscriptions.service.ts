import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, Principal } from '@app/http';
import { PoliceCatalogue } from '../catalogue/police-catalogue';
import { AlertFeedHub } from '../feed/alert-feed.hub';
import { SubscriptionCreateDto } from './dto/subscription-create.dto';

export interface Subscription {
  subscriptionId: string;
  unit: string;
  areas: string[];
  severities: string[];
  zones: string[];
  createdAt: string;
}

interface SubscriptionRow {
  subscription_id: string;
  unit: string;
  areas: string[];
  severities: string[];
  zones: string[];
  created_at: Date;
}

/** What a unit of this region asked to receive (besides the zones it is on duty for). */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalogue: PoliceCatalogue,
    private readonly hub: AlertFeedHub,
  ) {}

  async create(principal: Principal, dto: SubscriptionCreateDto): Promise<Subscription> {
    const areas = [...new Set(dto.areas ?? [])];
    const severities = [...new Set(dto.severities ?? [])];
    const zones = [...new Set(dto.zones ?? [])];
    areas.forEach((area) => this.catalogue.assertArea(area));
    severities.forEach((severity) => this.catalogue.assertSeverity(severity));
    zones.forEach((zone) => this.catalogue.assertZone(zone));
    const [row] = await this.dataSource.query<SubscriptionRow[]>(
      `insert into police_subscription (subscription_id, unit, areas, severities, zones) values ($1, $2, $3, $4, $5)
       returning *`,
      [randomUUID(), principal.org, areas, severities, zones],
    );
    this.hub.refreshFilters(principal.org);
    return toSubscription(row);
  }

  async list(principal: Principal): Promise<Subscription[]> {
    const rows = await this.dataSource.query<SubscriptionRow[]>(
      'select * from police_subscription where unit = $1 order by created_at',
      [principal.org],
    );
    return rows.map(toSubscription);
  }

  async remove(principal: Principal, subscriptionId: string): Promise<void> {
    const [, deleted] = await this.dataSource.query<[unknown[], number]>(
      'delete from police_subscription where subscription_id = $1 and unit = $2',
      [subscriptionId, principal.org],
    );
    if (deleted === 0) {
      throw new DomainError(
        'POLICE.SUBSCRIPTION_NOT_FOUND',
        'not-found',
        `The unit has no subscription ${subscriptionId}`,
      );
    }
    this.hub.refreshFilters(principal.org);
  }
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    subscriptionId: row.subscription_id,
    unit: row.unit,
    areas: row.areas,
    severities: row.severities,
    zones: row.zones,
    createdAt: row.created_at.toISOString(),
  };
}
