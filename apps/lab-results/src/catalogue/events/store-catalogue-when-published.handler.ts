import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import {
  LAB_CATALOGUE_PUBLISHED_V1,
  LAB_CATALOGUE_PUBLISHED_V2,
  LabCataloguePublishedV1,
  LabCataloguePublishedV2,
} from '@app/contracts';
import { CatalogueProjectionService } from '../catalogue-projection.service';

@Controller()
export class StoreCatalogueWhenPublishedHandler {
  constructor(private readonly catalogues: CatalogueProjectionService) {}

  @EventPattern(LAB_CATALOGUE_PUBLISHED_V1)
  async handle(@Payload() catalogue: LabCataloguePublishedV1, @Ctx() context: BusContext): Promise<void> {
    await this.catalogues.store(context.manager, context.origin, catalogue);
  }

  /** v2: the version in parts (a large catalogue outgrows one event); v1 stays accepted from older publishers. */
  @EventPattern(LAB_CATALOGUE_PUBLISHED_V2)
  async handlePart(@Payload() part: LabCataloguePublishedV2, @Ctx() context: BusContext): Promise<void> {
    await this.catalogues.storePart(context.manager, context.origin, part);
  }
}
