import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LabCatalogueItemV1, LabCataloguePublishedV1, LabCataloguePublishedV2 } from '@app/contracts';

export interface CatalogueVersionRow {
  region: string;
  version: number;
  effective_from: Date;
}

export interface CatalogueItemRow {
  code: string;
  name: string;
  unit: string | null;
  price_fen: number;
  validity_days: number | null;
}

/** Each city's catalogue versions (this city's own and its peers'), their items and the parts received. */
@Injectable()
export class CatalogueRepository {
  async lastVersion(manager: EntityManager, region: string): Promise<CatalogueVersionRow | undefined> {
    const [last] = await manager.query<CatalogueVersionRow[]>(
      `select region, version, effective_from from lab_catalogue_version where region = $1
        order by version desc limit 1`,
      [region],
    );
    return last;
  }

  /** Records a whole version with its items; a version already known is left as it is. */
  async insertVersion(manager: EntityManager, region: string, catalogue: LabCataloguePublishedV1): Promise<void> {
    const inserted = await manager.query<unknown[]>(
      `insert into lab_catalogue_version (region, version, effective_from) values ($1, $2, $3)
       on conflict do nothing returning version`,
      [region, catalogue.version, catalogue.effectiveFrom],
    );
    if (inserted.length === 0) return;
    await this.insertItems(manager, region, catalogue.version, catalogue.items);
  }

  /**
   * Records one part of a version with its items (the version row first, expecting `parts` parts); false when the
   * part was known already. The version counts once `parts_received` reaches `parts`.
   */
  async insertPart(manager: EntityManager, region: string, part: LabCataloguePublishedV2): Promise<boolean> {
    await manager.query(
      `insert into lab_catalogue_version (region, version, effective_from, parts, parts_received)
       values ($1, $2, $3, $4, 0) on conflict do nothing`,
      [region, part.version, part.effectiveFrom, part.parts],
    );
    const inserted = await manager.query<unknown[]>(
      `insert into lab_catalogue_part (region, version, part) values ($1, $2, $3) on conflict do nothing returning part`,
      [region, part.version, part.part],
    );
    if (inserted.length === 0) return false;
    await this.insertItems(manager, region, part.version, part.items);
    await manager.query(
      `update lab_catalogue_version set parts_received = parts_received + 1
        where region = $1 and version = $2 and parts_received < parts`,
      [region, part.version],
    );
    return true;
  }

  /** The complete version of each known region in force at `at` (a region without one is absent). */
  async versionsInForce(manager: EntityManager, at: Date): Promise<CatalogueVersionRow[]> {
    return manager.query<CatalogueVersionRow[]>(
      `select distinct on (region) region, version, effective_from from lab_catalogue_version
        where effective_from <= $1 and parts_received = parts order by region, version desc`,
      [at],
    );
  }

  async items(manager: EntityManager, region: string, version: number): Promise<CatalogueItemRow[]> {
    return manager.query<CatalogueItemRow[]>(
      'select code, name, unit, price_fen, validity_days from lab_catalogue_item where region = $1 and version = $2',
      [region, version],
    );
  }

  /** Deletes every version but `region`'s own (their items and parts go with them). */
  async deleteAllBut(manager: EntityManager, region: string): Promise<void> {
    await manager.query('delete from lab_catalogue_version where region <> $1', [region]);
  }

  private async insertItems(manager: EntityManager, region: string, version: number, items: LabCatalogueItemV1[]) {
    await manager.query(
      `insert into lab_catalogue_item (region, version, code, name, unit, price_fen, validity_days)
       select $1, $2, * from unnest($3::text[], $4::text[], $5::text[], $6::int[], $7::int[])
       on conflict do nothing`,
      [
        region,
        version,
        items.map((item) => item.code),
        items.map((item) => item.name),
        items.map((item) => item.unit ?? null),
        items.map((item) => item.priceFen),
        items.map((item) => item.validityDays ?? null),
      ],
    );
  }
}
