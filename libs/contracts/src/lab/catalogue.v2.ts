import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsDateString, IsInt, Max, Min, ValidateNested } from 'class-validator';
import { LabCatalogueItemV1 } from './catalogue.v1';

export const LAB_CATALOGUE_PUBLISHED_V2 = 'cn.shuanglai.lab.catalogue.published.v2';

/** Items per part: 250 of the largest items the contract allows stay far below the bus's per-event limit. */
export const LAB_CATALOGUE_PART_ITEMS = 250;

/**
 * One part of a version of a city's catalogue. A version (up to 5,000 items) travels as `parts` events of at most
 * 250 items each, all keyed alike so they arrive in order; a peer stores each part once and counts the version in
 * force only when every part has arrived. Replaces v1, whose single event could exceed the bus's size limit;
 * consumers accept both.
 */
export class LabCataloguePublishedV2 {
  @IsInt()
  @Min(1)
  version!: number;

  @IsDateString({ strict: true })
  effectiveFrom!: string;

  /** 1-based position of this part among the version's parts. */
  @IsInt()
  @Min(1)
  @Max(20)
  part!: number;

  @IsInt()
  @Min(1)
  @Max(20)
  parts!: number;

  @ValidateNested({ each: true })
  @Type(() => LabCatalogueItemV1)
  @ArrayMinSize(1)
  @ArrayMaxSize(LAB_CATALOGUE_PART_ITEMS)
  items!: LabCatalogueItemV1[];
}
