import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsDateString, Matches, ValidateNested } from 'class-validator';
import { CATALOGUE_VERSION_PATTERN, MATTER_CODE_PATTERN, MAX_MATTERS, SHA256_MESSAGE, SHA256_PATTERN } from './common';

export const AFFAIRS_CATALOGUE_PUBLISHED_V1 = 'cn.shuanglai.affairs.catalogue.published.v1';

/** One matter of a city's catalogue, named by its code and the digest of its entry's canonical JSON. */
export class MatterDigestV1 {
  @ApiProperty({ example: 'ENT-FOOD-BIZ' })
  @Matches(MATTER_CODE_PATTERN)
  code!: string;

  @Matches(SHA256_PATTERN, { message: `digest ${SHA256_MESSAGE}` })
  digest!: string;
}

/**
 * The catalogue version a city runs, published at start-up whenever it changed: peers compare it with their own and
 * name the matters that differ (missing on one side, or a different entry), so the joint list is never silently split.
 */
export class AffairsCataloguePublishedV1 {
  @ApiProperty({ example: '2026.1' })
  @Matches(CATALOGUE_VERSION_PATTERN)
  version!: string;

  /** Digest of the whole catalogue (its matters' digests in code order). */
  @Matches(SHA256_PATTERN, { message: `digest ${SHA256_MESSAGE}` })
  digest!: string;

  @ValidateNested({ each: true })
  @Type(() => MatterDigestV1)
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MATTERS)
  matters!: MatterDigestV1[];

  @IsDateString({ strict: true })
  publishedAt!: string;
}
