import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { HukouChange, HukouRecordedV1 } from '@app/contracts';

export interface HukouFactRow {
  factId: string;
  person: string;
  origin: string;
  change: HukouChange;
  on: string;
  recordedAt: string;
}

@Injectable()
export class HukouRepository {
  async insert(manager: EntityManager, origin: string, fact: HukouRecordedV1): Promise<void> {
    await manager.query(
      `insert into talent_hukou_fact (fact_id, person, origin, change, on_date, recorded_at)
       values ($1, $2, $3, $4, $5, $6) on conflict (fact_id) do nothing`,
      [fact.factId, fact.person, origin, fact.change, fact.on, fact.recordedAt],
    );
  }

  async resetProjected(manager: EntityManager, region: string): Promise<void> {
    await manager.query('delete from talent_hukou_fact where origin <> $1', [region]);
  }
}
