import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, loadServiceConfig } from '@app/config';
import { ServiceCoreModule } from '@app/platform';
import { AffairsConfig } from './affairs.config';
import { AffairsMetrics } from './affairs.metrics';
import { CatalogueProjectionService } from './catalogue/catalogue-projection.service';
import { CatalogueQueriesService } from './catalogue/catalogue-queries.service';
import { CatalogueController } from './catalogue/catalogue.controller';
import { CatalogueRepository } from './catalogue/catalogue.repository';
import { CatalogueService } from './catalogue/catalogue.service';
import { StoreCatalogueWhenPublishedHandler } from './catalogue/events/store-catalogue-when-published.handler';
import { MatterCatalogue } from './catalogue/matter-catalogue';
import { AFFAIRS_MIGRATIONS } from './migrations';

@Module({})
export class AffairsAppModule {
  /** `catalogue` defaults to the file AFFAIRS_MATTERS_FILE names (config/matters.json); tests pass their own. */
  static register(
    config: AppConfig,
    affairs = loadServiceConfig(AffairsConfig),
    catalogue = MatterCatalogue.load(affairs, config.registry.names),
  ): DynamicModule {
    return {
      module: AffairsAppModule,
      imports: [ServiceCoreModule.forRoot(config, { entities: [], migrations: AFFAIRS_MIGRATIONS })],
      controllers: [CatalogueController, StoreCatalogueWhenPublishedHandler],
      providers: [
        { provide: AffairsConfig, useValue: affairs },
        { provide: MatterCatalogue, useValue: catalogue },
        AffairsMetrics,
        CatalogueRepository,
        CatalogueService,
        CatalogueProjectionService,
        CatalogueQueriesService,
      ],
    };
  }
}
