import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { LabCataloguePublishedV1, LabCataloguePublishedV2 } from '@app/contracts';
import { CatalogueRepository } from './catalogue.repository';

/** The peers' catalogue versions, as their events bring them. */
@Injectable()
export class CatalogueProjectionService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly replay: ReplayService,
    private readonly catalogues: CatalogueRepository,
  ) {}

  /** A rebuild empties the peers' catalogue versions; this city's own stay. */
  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.catalogues.deleteAllBut(manager, this.config.region));
  }

  /** A whole version (v1); a version already known is left as it is. */
  async store(manager: EntityManager, origin: string, catalogue: LabCataloguePublishedV1): Promise<void> {
    await this.catalogues.insertVersion(manager, origin, catalogue);
  }

  /** One part of a version (v2); the version counts once its last part is here, whatever their order. */
  async storePart(manager: EntityManager, origin: string, part: LabCataloguePublishedV2): Promise<void> {
    await this.catalogues.insertPart(manager, origin, part);
  }
}
