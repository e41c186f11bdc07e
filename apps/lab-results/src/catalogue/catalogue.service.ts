import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  LAB_CATALOGUE_PART_ITEMS,
  LAB_CATALOGUE_PUBLISHED_V2,
  LabCatalogueItemV1,
  LabCataloguePublishedV1,
  LabCataloguePublishedV2,
} from '@app/contracts';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { CatalogueRef, jointValidityDays } from '../reuse/reuse-rules';
import { CataloguePublishDto } from './dto/catalogue-publish.dto';

/** Serialises publishers of this node's catalogue, so versions are gapless and in effective-date order. */
const CATALOGUE_LOCK = 0x1ab_ca7;
/** An effective date this much in the past still counts as "now" (the request's own transit). */
const PAST_TOLERANCE_MS = 5 * 60 * 1000;

export interface CatalogueVersion {
  region: string;
  version: number;
  effectiveFrom: Date;
  items: ReadonlyMap<string, LabCatalogueItemV1>;
}

/** Each city's versioned catalogue of test items; the joint catalogue of two cities is their agreement. */
@Injectable()
export class CatalogueService implements OnModuleInit {
  /** Versions never change once published, so their items are cached by region and version. */
  private readonly items = new Map<string, ReadonlyMap<string, LabCatalogueItemV1>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: BusPublisher,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly replay: ReplayService,
  ) {}

  /** The peers' catalogue versions; this city's own stay. */
  onModuleInit(): void {
    this.replay.registerProjection(async (manager) => {
      await manager.query('delete from lab_catalogue_version where region <> $1', [this.config.region]);
    });
  }

  async publish(dto: CataloguePublishDto): Promise<{ region: string; version: number; effectiveFrom: string }> {
    const now = this.clock.now();
    const effectiveFrom = dto.effectiveFrom ? new Date(dto.effectiveFrom) : now;
    if (effectiveFrom.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
      throw new DomainError(
        'LAB.CATALOGUE_EFFECTIVE_IN_PAST',
        'invalid',
        'a catalogue version takes effect now or later; it never rewrites the past',
      );
    }
    const duplicates = repeated(dto.items.map((item) => item.code));
    if (duplicates.length > 0) {
      throw new DomainError('LAB.DUPLICATE_TEST_CODE', 'invalid', `items list ${duplicates.join(', ')} twice`);
    }
    return this.dataSource.transaction(async (manager) => {
      await manager.query('select pg_advisory_xact_lock($1)', [CATALOGUE_LOCK]);
      const [last] = await manager.query<{ version: number; effective_from: Date }[]>(
        'select version, effective_from from lab_catalogue_version where region = $1 order by version desc limit 1',
        [this.config.region],
      );
      if (last && effectiveFrom < last.effective_from) {
        throw new DomainError(
          'LAB.CATALOGUE_OUT_OF_ORDER',
          'invalid',
          `version ${last.version} takes effect ${last.effective_from.toISOString()}; a later version cannot take effect before it`,
        );
      }
      const payload: LabCataloguePublishedV1 = {
        version: (last?.version ?? 0) + 1,
        effectiveFrom: effectiveFrom.toISOString(),
        items: dto.items.map((item) => ({ ...item })),
      };
      await this.store(manager, this.config.region, payload);
      // In parts, so that no event of a large catalogue outgrows the bus; one key keeps them in order.
      const parts = chunk(payload.items, LAB_CATALOGUE_PART_ITEMS);
      await this.publisher.publishMany(
        manager,
        parts.map((items, i) => ({
          type: LAB_CATALOGUE_PUBLISHED_V2,
          subject: `catalogue/${this.config.region}`,
          data: {
            version: payload.version,
            effectiveFrom: payload.effectiveFrom,
            part: i + 1,
            parts: parts.length,
            items,
          },
        })),
      );
      return { region: this.config.region, version: payload.version, effectiveFrom: payload.effectiveFrom };
    });
  }

  /** Records a version, published here or by a peer; a version already known is left as it is. */
  async store(manager: EntityManager, region: string, catalogue: LabCataloguePublishedV1): Promise<void> {
    const inserted = await manager.query<unknown[]>(
      `insert into lab_catalogue_version (region, version, effective_from) values ($1, $2, $3)
       on conflict do nothing returning version`,
      [region, catalogue.version, catalogue.effectiveFrom],
    );
    if (inserted.length === 0) return;
    await this.storeItems(manager, region, catalogue.version, catalogue.items);
  }

  /** Records one part of a peer's version; the version counts once its last part is here, whatever their order. */
  async storePart(manager: EntityManager, region: string, part: LabCataloguePublishedV2): Promise<void> {
    await manager.query(
      `insert into lab_catalogue_version (region, version, effective_from, parts, parts_received)
       values ($1, $2, $3, $4, 0) on conflict do nothing`,
      [region, part.version, part.effectiveFrom, part.parts],
    );
    const inserted = await manager.query<unknown[]>(
      `insert into lab_catalogue_part (region, version, part) values ($1, $2, $3) on conflict do nothing returning part`,
      [region, part.version, part.part],
    );
    if (inserted.length === 0) return;
    await this.storeItems(manager, region, part.version, part.items);
    await manager.query(
      `update lab_catalogue_version set parts_received = parts_received + 1
        where region = $1 and version = $2 and parts_received < parts`,
      [region, part.version],
    );
  }

  private async storeItems(manager: EntityManager, region: string, version: number, items: LabCatalogueItemV1[]) {
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

  /** The version of each known region in force at `at` (a region without one is absent). */
  async inForce(at: Date, manager: EntityManager = this.dataSource.manager): Promise<Map<string, CatalogueVersion>> {
    const rows = await manager.query<{ region: string; version: number; effective_from: Date }[]>(
      `select distinct on (region) region, version, effective_from from lab_catalogue_version
        where effective_from <= $1 and parts_received = parts order by region, version desc`,
      [at],
    );
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

  /** The codes of `codes` this city's catalogue in force does not list. */
  async unknownCodes(codes: string[], at: Date, manager?: EntityManager): Promise<string[]> {
    const local = await this.localInForce(at, manager);
    return codes.filter((code) => !local?.items.has(code));
  }

  /** The items this city and `peer` both recognise at `at`, with the stricter window and the deciding versions. */
  async joint(peer: string, at: Date) {
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

  async describe(region: string, at: Date) {
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
    const rows = await manager.query<
      { code: string; name: string; unit: string | null; price_fen: number; validity_days: number | null }[]
    >('select code, name, unit, price_fen, validity_days from lab_catalogue_item where region = $1 and version = $2', [
      region,
      version,
    ]);
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

function chunk<T>(values: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(values.length / size) }, (_, i) => values.slice(i * size, (i + 1) * size));
}

function repeated(values: string[]): string[] {
  return [...new Set(values.filter((value, i) => values.indexOf(value) !== i))];
}
