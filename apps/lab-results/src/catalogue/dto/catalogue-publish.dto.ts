import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { LabCatalogueItemV1, LabCataloguePublishedV1 } from '@app/contracts';
import { INT4_MAX } from '@app/http';

export class CatalogueItemDto extends OmitType(LabCatalogueItemV1, ['priceFen'] as const) {
  // The contract's rule (IsInt, Min 0) with the bound of the column it is stored in; class-validator drops a
  // property's inherited rules once the subclass declares any, so all three are here.
  @ApiProperty({ example: 2500, description: 'Price of the test in this city, in fen (0.01 yuan)' })
  @IsInt()
  @Min(0)
  @Max(INT4_MAX)
  priceFen!: number;
}

export class CataloguePublishDto extends IntersectionType(
  PickType(LabCataloguePublishedV1, ['items'] as const),
  PartialType(PickType(LabCataloguePublishedV1, ['effectiveFrom'] as const)),
) {
  @ApiPropertyOptional({ description: 'When the version takes effect (default: now); never in the past' })
  override effectiveFrom?: string;

  /** The contract's items, each with the HTTP edge's bound on its price. */
  @ApiProperty({ type: [CatalogueItemDto] })
  @Type(() => CatalogueItemDto)
  override items!: CatalogueItemDto[];
}
