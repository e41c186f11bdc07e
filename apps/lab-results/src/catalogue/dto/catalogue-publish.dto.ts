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
import { TEST_CODE_PATTERN } from '@app/contracts';
import { INT4_MAX } from '@app/http';

export class CatalogueItemDto {
  @ApiProperty({ example: 'CBC' })
  @Matches(TEST_CODE_PATTERN, { message: 'code must be 1 to 32 upper-case letters, digits or ._-' })
  code!: string;

  @ApiProperty({ example: 'Complete blood count' })
  @IsString()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: '10^9/L', description: 'The unit numeric values of this item must carry' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  unit?: string;

  @ApiProperty({ example: 2500, description: 'Price of the test in this city, in fen (0.01 yuan)' })
  @IsInt()
  @Min(0)
  @Max(INT4_MAX)
  priceFen!: number;

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

export class CataloguePublishDto {
  @ApiPropertyOptional({ description: 'When the version takes effect (default: now); never in the past' })
  @IsOptional()
  @IsDateString({ strict: true })
  effectiveFrom?: string;

  @ApiProperty({ type: [CatalogueItemDto] })
  @ValidateNested({ each: true })
  @Type(() => CatalogueItemDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  items!: CatalogueItemDto[];
}
