import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { AffairsCataloguePublishedV1 } from '@app/contracts';
import { AffairsMetrics } from '../affairs.metrics';
import { compare } from './catalogue-queries.service';
import { CatalogueRepository } from './catalogue.repository';
import { MatterCatalogue } from './matter-catalogue';

/** The catalogue versions the peers run, as they published them (the latest wins). A replay rebuilds them. */
@Injectable()
export class CatalogueProjectionService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly replay: ReplayService,
    private readonly catalogues: CatalogueRepository,
    private readonly metrics: AffairsMetrics,
    private readonly catalogue: MatterCatalogue,
  ) {}

  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.catalogues.resetProjected(manager, this.config.region));
  }

  async store(manager: EntityManager, origin: string, published: AffairsCataloguePublishedV1): Promise<void> {
    await this.catalogues.upsert(manager, {
      origin,
      version: published.version,
      digest: published.digest,
      matters: published.matters,
      published_at: new Date(published.publishedAt),
    });
    this.metrics.cataloguesReceived.inc({ peer: origin });
    this.metrics.catalogueMismatches.set({ peer: origin }, compare(this.catalogue.digests, published.matters).length);
  }
}
