import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@app/http';
import { Subscription, SubscriptionRepository } from './subscription.repository';

@Injectable()
export class SubscriptionsQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionRepository,
  ) {}

  /** The caller's unit's subscriptions, oldest first. */
  async list(principal: Principal): Promise<Subscription[]> {
    return this.subscriptions.ofUnit(this.dataSource.manager, principal.org);
  }
}
