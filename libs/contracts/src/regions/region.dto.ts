import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
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

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export class RegionPortsDto {
  @IsOptional() @IsInt() @Min(1) @Max(65535) 'health-records'?: number;
  @IsOptional() @IsInt() @Min(1) @Max(65535) 'lab-results'?: number;
  @IsOptional() @IsInt() @Min(1) @Max(65535) talent?: number;
  @IsOptional() @IsInt() @Min(1) @Max(65535) police?: number;
  @IsOptional() @IsInt() @Min(1) @Max(65535) affairs?: number;
  @IsOptional() @IsInt() @Min(1) @Max(65535) ledger?: number;
}

export class RegionKeyDto {
  /** RFC 7638 thumbprint of the key (see signingKeyId); checked against the key when the registry is read. */
  @Matches(/^[A-Za-z0-9_-]{43}$/, {
    message: 'kid must be the RFC 7638 thumbprint of publicKey (43 base64url characters)',
  })
  kid!: string;

  /** Ed25519 public key, SPKI DER in base64. */
  @IsBase64()
  publicKey!: string;

  /** The first instant (RFC 3339, with its offset) an event signed with this key may carry as its time. */
  @Matches(INSTANT, { message: 'notBefore must be an RFC 3339 time with an offset, e.g. 2026-01-01T00:00:00Z' })
  notBefore!: string;

  /** Events signed with this key must carry an earlier time; absent: no end yet. */
  @IsOptional()
  @Matches(INSTANT, { message: 'notAfter must be an RFC 3339 time with an offset, e.g. 2027-01-01T00:00:00Z' })
  notAfter?: string;
}

/** The key personal data meant for this region alone is sealed to (X25519, SPKI DER in base64). */
export class RegionEncryptionKeyDto {
  @IsBase64()
  publicKey!: string;
}

export class RegionDto {
  /** Lower-case name, also the topic prefix and the `region` claim of tokens. */
  @Matches(/^[a-z][a-z0-9-]{1,30}$/, { message: 'name must be lower-case letters, digits or dashes' })
  name!: string;

  /** Position i of the region: its services listen on 3i01..3i05 unless `ports` says otherwise. */
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

  /**
   * The keys that verify the events this region signs, several while one replaces another. An event names its key
   * (kid) and its signed time must fall inside that key's window.
   */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @ArrayUnique((key: RegionKeyDto) => key.kid, { message: 'key ids must be unique' })
  @ValidateNested({ each: true })
  @Type(() => RegionKeyDto)
  keys!: RegionKeyDto[];

  @IsOptional()
  @ValidateNested()
  @Type(() => RegionPortsDto)
  ports?: RegionPortsDto;

  /** Needed by services that send a region personal data (affairs: an applicant's identity for a case it handles). */
  @IsOptional()
  @ValidateNested()
  @Type(() => RegionEncryptionKeyDto)
  encryptionKey?: RegionEncryptionKeyDto;
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
