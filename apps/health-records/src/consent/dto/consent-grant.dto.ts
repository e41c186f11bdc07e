import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  Equals,
  IsArray,
  IsISO8601,
  IsOptional,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { IsResidentId } from '@app/bus';
import { CONTINUITY_OF_CARE, IsPurpose, IsRegionName } from '@app/contracts';

export class ConsentGrantDto {
  @ApiProperty({ example: '370285196205237809' })
  @IsResidentId()
  residentId!: string;

  @ApiPropertyOptional({ default: CONTINUITY_OF_CARE })
  @IsOptional()
  @IsPurpose()
  @MaxLength(64)
  purpose: string = CONTINUITY_OF_CARE;

  @ApiPropertyOptional({ type: [String], example: ['laiyang'], description: 'Peer regions; or allPeers: true' })
  @ValidateIf((dto: ConsentGrantDto) => dto.allPeers !== true || dto.grantees !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(64)
  @ArrayUnique()
  @IsRegionName({ each: true })
  grantees?: string[];

  @ApiPropertyOptional({ description: 'Every peer region, instead of a list of grantees' })
  @IsOptional()
  @Equals(true)
  allPeers?: true;

  @ApiPropertyOptional({ description: 'Default: now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  validFrom?: string;

  @ApiPropertyOptional({ description: 'Default: until revoked' })
  @IsOptional()
  @IsISO8601({ strict: true })
  validUntil?: string;
}

export class PatientQueryDto {
  @ApiProperty({ example: '370285196205237809' })
  @IsResidentId()
  residentId!: string;
}
