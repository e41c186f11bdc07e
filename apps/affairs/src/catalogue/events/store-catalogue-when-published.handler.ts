import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { AFFAIRS_CATALOGUE_PUBLISHED_V1, EventPayload } from '@app/contracts';
import { CatalogueProjectionService } from '../catalogue-projection.service';

@Controller()
export class StoreCatalogueWhenPublishedHandler {
  constructor(private readonly catalogues: CatalogueProjectionService) {}

  @OnEvent(AFFAIRS_CATALOGUE_PUBLISHED_V1)
  async handle(catalogue: EventPayload<typeof AFFAIRS_CATALOGUE_PUBLISHED_V1>, context: BusContext): Promise<void> {
    await this.catalogues.store(context.manager, context.origin, catalogue);
  }
}
