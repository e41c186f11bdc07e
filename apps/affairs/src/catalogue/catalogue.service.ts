import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import { AFFAIRS_CATALOGUE_PUBLISHED_V1 } from '@app/contracts';
import { advisoryXactLock } from '@app/database';
import { Clock } from '@app/platform';
import { CatalogueRepository } from './catalogue.repository';
import { MatterCatalogue } from './matter-catalogue';

const CATALOGUE_LOCK = 'affairs-catalogue';

/** Publishes the catalogue this city runs whenever it changed since the last publication (checked at start-up). */
@Injectable()
export class CatalogueService implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly catalogue: MatterCatalogue,
    private readonly publisher: BusPublisher,
    private readonly catalogues: CatalogueRepository,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.publishIfChanged();
  }

  /** True when it published; several instances starting together publish once. */
  async publishIfChanged(): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await advisoryXactLock(manager, CATALOGUE_LOCK);
      const own = await this.catalogues.lockOwn(manager, this.config.region);
      if (own?.digest === this.catalogue.digest && own.version === this.catalogue.version) return false;
      const publishedAt = this.clock.now();
      const { version, digest, digests: matters } = this.catalogue;
      await this.catalogues.upsert(manager, {
        origin: this.config.region,
        version,
        digest,
        matters,
        published_at: publishedAt,
      });
      await this.publisher.publish(manager, AFFAIRS_CATALOGUE_PUBLISHED_V1, `catalogue/${this.config.region}`, {
        version,
        digest,
        matters,
        publishedAt: publishedAt.toISOString(),
      });
      return true;
    });
  }
}
