import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsISO8601,
  IsLatitude,
  IsLongitude,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsResidentId } from '@app/bus';
import { POLICE_CODE } from '@app/contracts';

export class AlertLocationDto {
  @ApiProperty({ example: 36.93 })
  @IsLatitude()
  lat!: number;

  @ApiProperty({ example: 120.62 })
  @IsLongitude()
  lon!: number;

  @ApiProperty({ example: 'BZ-03', description: 'A boundary zone of the catalogue (GET /catalogue)' })
  @Matches(POLICE_CODE)
  zone!: string;
}

export class AlertRaiseDto {
  @ApiProperty({ example: 'joint-duty', description: 'A key area of the catalogue' })
  @Matches(POLICE_CODE)
  area!: string;

  @ApiProperty({ example: 'P2', description: 'A severity of the catalogue' })
  @Matches(POLICE_CODE)
  severity!: string;

  @ApiProperty({ type: AlertLocationDto })
  @ValidateNested()
  @Type(() => AlertLocationDto)
  location!: AlertLocationDto;

  @ApiProperty({ description: 'What happened: a description, no identity numbers', maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  description!: string;

  @ApiProperty({ maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  actionRequested!: string;

  @ApiProperty({ example: '2026-11-24T18:00:00Z' })
  @IsISO8601({ strict: true })
  expiresAt!: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Resident ID numbers of persons who must be named: only their keyed pseudonyms are kept and sent',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsResidentId({ each: true })
  personResidentIds?: string[];
}

export class AlertUpdateDto extends PartialType(
  PickType(AlertRaiseDto, ['severity', 'location', 'description', 'actionRequested', 'expiresAt'] as const),
) {}

export class AlertEndDto {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
