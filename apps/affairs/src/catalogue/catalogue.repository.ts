import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MatterDigestV1 } from '@app/contracts';

export interface CatalogueRow {
  origin: string;
  version: string;
  digest: string;
  matters: MatterDigestV1[];
  published_at: Date;
}

@Injectable()
export class CatalogueRepository {
  async all(manager: EntityManager): Promise<CatalogueRow[]> {
    return manager.query<CatalogueRow[]>(
      'select origin, version, digest, matters, published_at from affairs_catalogue order by origin',
    );
  }

  async lockOwn(manager: EntityManager, origin: string): Promise<CatalogueRow | undefined> {
    const [row] = await manager.query<CatalogueRow[]>(
      'select origin, version, digest, matters, published_at from affairs_catalogue where origin = $1 for update',
      [origin],
    );
    return row;
  }

  /** Keeps the latest publication of each city (a redelivered or older one changes nothing). */
  async upsert(manager: EntityManager, row: CatalogueRow): Promise<void> {
    await manager.query(
      `insert into affairs_catalogue (origin, version, digest, matters, published_at) values ($1, $2, $3, $4, $5)
       on conflict (origin) do update set version = excluded.version, digest = excluded.digest,
         matters = excluded.matters, published_at = excluded.published_at
       where affairs_catalogue.published_at <= excluded.published_at`,
      [row.origin, row.version, row.digest, JSON.stringify(row.matters), row.published_at],
    );
  }

  async resetProjected(manager: EntityManager, region: string): Promise<void> {
    await manager.query('delete from affairs_catalogue where origin <> $1', [region]);
  }
}
