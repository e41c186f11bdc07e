import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, LAB_CATALOGUE_PUBLISHED_V1, LAB_CATALOGUE_PUBLISHED_V2 } from '@app/contracts';
import { CatalogueProjectionService } from '../catalogue-projection.service';

@Controller()
export class StoreCatalogueWhenPublishedHandler {
  constructor(private readonly catalogues: CatalogueProjectionService) {}

  @OnEvent(LAB_CATALOGUE_PUBLISHED_V1)
  async handle(catalogue: EventPayload<typeof LAB_CATALOGUE_PUBLISHED_V1>, context: BusContext): Promise<void> {
    await this.catalogues.store(context.manager, context.origin, catalogue);
  }

  /** v2: the version in parts (a large catalogue outgrows one event); v1 stays accepted from older publishers. */
  @OnEvent(LAB_CATALOGUE_PUBLISHED_V2)
  async handlePart(part: EventPayload<typeof LAB_CATALOGUE_PUBLISHED_V2>, context: BusContext): Promise<void> {
    await this.catalogues.storePart(context.manager, context.origin, part);
  }
}
