import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, Principal } from '@app/http';
import { PoliceCatalogue } from '../catalogue/police-catalogue';
import { AlertFeedHub } from '../feed/alert-feed.hub';
import { SubscriptionCreateDto } from './dto/subscription-create.dto';
import { Subscription, SubscriptionRepository } from './subscription.repository';

/** What a unit of this region asks to receive (besides the zones it is on duty for). */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionRepository,
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
    const subscription = await this.subscriptions.insert(this.dataSource.manager, {
      subscriptionId: randomUUID(),
      unit: principal.org,
      areas,
      severities,
      zones,
    });
    this.hub.refreshFilters(principal.org);
    return subscription;
  }

  async remove(principal: Principal, subscriptionId: string): Promise<void> {
    if (!(await this.subscriptions.delete(this.dataSource.manager, subscriptionId, principal.org))) {
      throw new DomainError(
        'POLICE.SUBSCRIPTION_NOT_FOUND',
        'not-found',
        `The unit has no subscription ${subscriptionId}`,
      );
    }
    this.hub.refreshFilters(principal.org);
  }
}
