import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBase64,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class RegionPortsDto {
  @IsOptional() @IsInt() @Min(1) @Max(65535) 'health-records'?: number;
  @IsOptional() @IsInt() @Min(1) @Max(65535) 'lab-results'?: number;
  @IsOptional() @IsInt() @Min(1) @Max(65535) talent?: number;
  @IsOptional() @IsInt() @Min(1) @Max(65535) police?: number;
}

export class RegionDto {
  /** Lower-case name, also the topic prefix and the `region` claim of tokens. */
  @Matches(/^[a-z][a-z0-9-]{1,30}$/, { message: 'name must be lower-case letters, digits or dashes' })
  name!: string;

  /** Position i of the region: its services listen on 3i01..3i04 unless `ports` says otherwise. */
  @IsInt()
  @Min(1)
  @Max(9)
  index!: number;

  @IsString()
  label!: string;

  /** GB 11643 administrative area codes (first six characters of a resident ID) this region issues. */
  @IsArray()
  @Matches(/^\d{6}$/, { each: true })
  areaCodes!: string[];

  /** Ed25519 public key, SPKI DER in base64: verifies the events this region signs. */
  @IsBase64()
  publicKey!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => RegionPortsDto)
  ports?: RegionPortsDto;
}

export class RegionRegistryDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique((region: RegionDto) => region.name, { message: 'region names must be unique' })
  @ArrayUnique((region: RegionDto) => region.index, { message: 'region indexes must be unique' })
  @ValidateNested({ each: true })
  @Type(() => RegionDto)
  regions!: RegionDto[];
}
