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

  /** The people's facts, oldest first, per city. */
  async byPeople(manager: EntityManager, people: string[]): Promise<HukouFactRow[]> {
    const rows = await manager.query<HukouFactRow[]>(
      `select fact_id as "factId", person, origin, change, to_char(on_date, 'YYYY-MM-DD') as "on",
              recorded_at as "recordedAt"
         from talent_hukou_fact where person = any($1) order by person, origin, on_date, recorded_at`,
      [people],
    );
    return rows.map((row) => ({ ...row, recordedAt: new Date(row.recordedAt).toISOString() }));
  }

  async resetProjected(manager: EntityManager, region: string): Promise<void> {
    await manager.query('delete from talent_hukou_fact where origin <> $1', [region]);
  }
}
