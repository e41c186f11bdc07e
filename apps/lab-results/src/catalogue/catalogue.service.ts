import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import { advisoryXactLock } from '@app/database';
import { LAB_CATALOGUE_PART_ITEMS, LAB_CATALOGUE_PUBLISHED_V2, LabCataloguePublishedV1 } from '@app/contracts';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { CatalogueRepository } from './catalogue.repository';
import { CataloguePublishDto } from './dto/catalogue-publish.dto';

/** Serialises publishers of this node's catalogue, so versions are gapless and in effective-date order. */
const CATALOGUE_LOCK = 'lab-catalogue';
/** An effective date this much in the past still counts as "now" (the request's own transit). */
const PAST_TOLERANCE_MS = 5 * 60 * 1000;

/** This city's catalogue of test items: its versions, published to every peer. */
@Injectable()
export class CatalogueService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: BusPublisher,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly catalogues: CatalogueRepository,
  ) {}

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
      await advisoryXactLock(manager, CATALOGUE_LOCK);
      const last = await this.catalogues.lastVersion(manager, this.config.region);
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
      await this.catalogues.insertVersion(manager, this.config.region, payload);
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
}

function chunk<T>(values: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(values.length / size) }, (_, i) => values.slice(i * size, (i + 1) * size));
}

function repeated(values: string[]): string[] {
  return [...new Set(values.filter((value, i) => values.indexOf(value) !== i))];
}
