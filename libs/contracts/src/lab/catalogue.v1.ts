import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsDateString,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export const LAB_CATALOGUE_PUBLISHED_V1 = 'cn.shuanglai.lab.catalogue.published.v1';

/** Test codes as the cities' LIS spell them: letters, digits and `-_.`, e.g. `CBC`, `HBA1C`, `CT-CHEST`. */
export const TEST_CODE_PATTERN = /^[A-Z0-9][A-Z0-9._-]{0,31}$/;

/** One test item a city knows: what it is, what it costs there, and whether it recognises it across the line. */
export class LabCatalogueItemV1 {
  @ApiProperty({ example: 'CBC' })
  @Matches(TEST_CODE_PATTERN, { message: 'code must be 1 to 32 upper-case letters, digits or ._-' })
  code!: string;

  @ApiProperty({ example: 'Complete blood count' })
  @IsString()
  @MaxLength(200)
  name!: string;

  /** The unit a numeric value of this item must carry (`10^9/L`); absent for items reported as text or images. */
  @ApiPropertyOptional({ example: '10^9/L', description: 'The unit numeric values of this item must carry' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  unit?: string;

  /** The city's price of the test, in fen (0.01 yuan): what a recognised result saves. */
  @ApiProperty({ example: 2500, description: 'Price of the test in this city, in fen (0.01 yuan)' })
  @IsInt()
  @Min(0)
  priceFen!: number;

  /**
   * Present when this city recognises the item's results across the line: how many days after collection a
   * result stays reusable. Absent: the item is known (reports may carry it) but not mutually recognised.
   */
  @ApiPropertyOptional({
    example: 7,
    description: 'Days after collection a result stays reusable; absent: known here but not recognised across the line',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  validityDays?: number;
}

/** A version of one city's catalogue of test items, in force from `effectiveFrom` until a later version's. */
export class LabCataloguePublishedV1 {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiProperty({ description: 'When the version takes effect' })
  @IsDateString({ strict: true })
  effectiveFrom!: string;

  @ApiProperty({ type: () => [LabCatalogueItemV1] })
  @ValidateNested({ each: true })
  @Type(() => LabCatalogueItemV1)
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  items!: LabCatalogueItemV1[];
}
