import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface Subscription {
  subscriptionId: string;
  unit: string;
  areas: string[];
  severities: string[];
  zones: string[];
  createdAt: string;
}

interface SubscriptionRecord {
  subscription_id: string;
  unit: string;
  areas: string[];
  severities: string[];
  zones: string[];
  created_at: Date;
}

/** What the units of this region subscribed to (police_subscription). */
@Injectable()
export class SubscriptionRepository {
  async insert(manager: EntityManager, subscription: Omit<Subscription, 'createdAt'>): Promise<Subscription> {
    const [row] = await manager.query<SubscriptionRecord[]>(
      `insert into police_subscription (subscription_id, unit, areas, severities, zones) values ($1, $2, $3, $4, $5)
       returning *`,
      [subscription.subscriptionId, subscription.unit, subscription.areas, subscription.severities, subscription.zones],
    );
    return toSubscription(row);
  }

  async ofUnit(manager: EntityManager, unit: string): Promise<Subscription[]> {
    const rows = await manager.query<SubscriptionRecord[]>(
      'select * from police_subscription where unit = $1 order by created_at',
      [unit],
    );
    return rows.map(toSubscription);
  }

  async ofUnits(manager: EntityManager, units: string[]): Promise<Subscription[]> {
    const rows = await manager.query<SubscriptionRecord[]>('select * from police_subscription where unit = any($1)', [
      units,
    ]);
    return rows.map(toSubscription);
  }

  /** False when the unit has no such subscription. */
  async delete(manager: EntityManager, subscriptionId: string, unit: string): Promise<boolean> {
    const [, deleted] = await manager.query<[unknown[], number]>(
      'delete from police_subscription where subscription_id = $1 and unit = $2',
      [subscriptionId, unit],
    );
    return deleted > 0;
  }
}

function toSubscription(row: SubscriptionRecord): Subscription {
  return {
    subscriptionId: row.subscription_id,
    unit: row.unit,
    areas: row.areas,
    severities: row.severities,
    zones: row.zones,
    createdAt: row.created_at.toISOString(),
  };
}
