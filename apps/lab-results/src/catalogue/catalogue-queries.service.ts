import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { LabCatalogueItemV1 } from '@app/contracts';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { CatalogueRef, jointValidityDays } from '../reuse/reuse-rules';
import { CatalogueRepository } from './catalogue.repository';

export interface CatalogueVersion {
  region: string;
  version: number;
  effectiveFrom: Date;
  items: ReadonlyMap<string, LabCatalogueItemV1>;
}

/** The catalogue versions in force, each city's and the joint catalogue of two cities (their agreement). */
@Injectable()
export class CatalogueQueriesService {
  /** Versions never change once published, so their items are cached by region and version. */
  private readonly items = new Map<string, ReadonlyMap<string, LabCatalogueItemV1>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly catalogues: CatalogueRepository,
  ) {}

  /** The version of each known region in force at `at` (a region without one is absent). */
  async inForce(at: Date, manager: EntityManager = this.dataSource.manager): Promise<Map<string, CatalogueVersion>> {
    const rows = await this.catalogues.versionsInForce(manager, at);
    const result = new Map<string, CatalogueVersion>();
    for (const row of rows) {
      result.set(row.region, {
        region: row.region,
        version: row.version,
        effectiveFrom: row.effective_from,
        items: await this.itemsOf(manager, row.region, row.version),
      });
    }
    return result;
  }

  /** This city's version in force at `at`, or undefined before its first version takes effect. */
  async localInForce(at: Date, manager?: EntityManager): Promise<CatalogueVersion | undefined> {
    return (await this.inForce(at, manager)).get(this.config.region);
  }

  /** The items this city and `peer` both recognise at `at` (now), with the stricter window and the deciding versions. */
  async joint(peer: string, at = this.clock.now()) {
    const catalogues = await this.inForce(at);
    const local = catalogues.get(this.config.region);
    const theirs = catalogues.get(peer);
    const recognised = (catalogue: CatalogueVersion | undefined) =>
      catalogue && {
        region: catalogue.region,
        version: catalogue.version,
        recognised: recognisedCodes(catalogue),
      };
    const mine = recognised(local);
    const other = recognised(theirs);
    const decidedBy: CatalogueRef[] = [mine, other]
      .filter((c) => c !== undefined)
      .map(({ region, version }) => ({ region, version }));
    const items = [...(local?.items.values() ?? [])].flatMap((item) => {
      const validityDays = jointValidityDays(item.code, mine, other);
      return validityDays === undefined ? [] : [{ code: item.code, name: item.name, validityDays }];
    });
    return { at: at.toISOString(), decidedBy, items };
  }

  /** A city's version (this city's by default) in force at `at` (now). */
  async describe(region = this.config.region, at = this.clock.now()) {
    const catalogue = (await this.inForce(at)).get(region);
    if (!catalogue) {
      throw new DomainError(
        'LAB.NO_CATALOGUE',
        'not-found',
        `no catalogue of ${region} is in force at ${at.toISOString()}`,
      );
    }
    return {
      region,
      version: catalogue.version,
      effectiveFrom: catalogue.effectiveFrom.toISOString(),
      items: [...catalogue.items.values()],
    };
  }

  private async itemsOf(manager: EntityManager, region: string, version: number) {
    const key = `${region}/${version}`;
    const cached = this.items.get(key);
    if (cached) return cached;
    const rows = await this.catalogues.items(manager, region, version);
    const items = new Map(
      rows.map((row) => [
        row.code,
        {
          code: row.code,
          name: row.name,
          priceFen: row.price_fen,
          ...(row.unit !== null && { unit: row.unit }),
          ...(row.validity_days !== null && { validityDays: row.validity_days }),
        },
      ]),
    );
    this.items.set(key, items);
    return items;
  }
}

/** The codes a catalogue version recognises across the line, with their validity in days. */
export function recognisedCodes(catalogue: CatalogueVersion): Map<string, number> {
  const codes = new Map<string, number>();
  for (const item of catalogue.items.values()) {
    if (item.validityDays !== undefined) codes.set(item.code, item.validityDays);
  }
  return codes;
}
