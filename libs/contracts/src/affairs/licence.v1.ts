import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsCreditCode } from '../credit-code';
import { MATTER_CODE_PATTERN } from './common';

export const AFFAIRS_LICENCE_ISSUED_V1 = 'cn.shuanglai.affairs.licence.issued.v1';
export const AFFAIRS_LICENCE_SUSPENDED_V1 = 'cn.shuanglai.affairs.licence.suspended.v1';
export const AFFAIRS_LICENCE_REVOKED_V1 = 'cn.shuanglai.affairs.licence.revoked.v1';
/** A suspended licence is reinstated: valid again. */
export const AFFAIRS_LICENCE_REINSTATED_V1 = 'cn.shuanglai.affairs.licence.reinstated.v1';

export const LICENCE_STATUSES = ['valid', 'suspended', 'revoked'] as const;
export type LicenceStatus = (typeof LICENCE_STATUSES)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The whole state of an electronic licence (GB/T 36901-36905: catalogue entry, metadata, identifier) after a change
 * by its issuing city, replicated to every city; the highest version wins. `signature` is the issuing region's
 * Ed25519 signature (key `kid` of the registry) over the licence's content (`licenceSigningInput`): anyone holding
 * the registry verifies it offline.
 */
export class LicenceStateV1 {
  @IsUUID()
  licenceId!: string;

  @ApiProperty({ example: '91370682MA00000014' })
  @IsString()
  @IsCreditCode()
  creditCode!: string;

  @ApiProperty({ example: '莱阳双莱食品有限公司' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  holderName!: string;

  @ApiProperty({ example: 'Food business licence (食品经营许可)' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  scope!: string;

  @Matches(MATTER_CODE_PATTERN)
  matterCode!: string;

  /** The city of the enterprise's registered address. */
  @Matches(/^[a-z][a-z0-9-]{1,30}$/)
  registeredRegion!: string;

  @ApiProperty({ example: 'Laixi Market Supervision Administration' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  issuingAuthority!: string;

  @Matches(DATE)
  validFrom!: string;

  @Matches(DATE)
  validUntil!: string;

  @IsDateString({ strict: true })
  issuedAt!: string;

  @IsIn(LICENCE_STATUSES)
  status!: LicenceStatus;

  @IsInt()
  @Min(1)
  @Max(10_000)
  version!: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @Matches(/^[A-Za-z0-9_-]{43}$/)
  kid!: string;

  @Matches(/^[A-Za-z0-9_-]{86}$/, { message: 'signature must be an Ed25519 signature in base64url' })
  signature!: string;
}

/** What the issuing region signs: the licence's content, never its status (which the register carries). */
export function licenceSigningInput(
  licence: Pick<
    LicenceStateV1,
    | 'licenceId'
    | 'creditCode'
    | 'holderName'
    | 'scope'
    | 'matterCode'
    | 'registeredRegion'
    | 'issuingAuthority'
    | 'validFrom'
    | 'validUntil'
    | 'issuedAt'
  >,
  issuingRegion: string,
): Buffer {
  return Buffer.from(
    JSON.stringify([
      'shuanglai-licence-v1',
      issuingRegion,
      licence.licenceId,
      licence.creditCode,
      licence.holderName,
      licence.scope,
      licence.matterCode,
      licence.registeredRegion,
      licence.issuingAuthority,
      licence.validFrom,
      licence.validUntil,
      licence.issuedAt,
    ]),
    'utf8',
  );
}
