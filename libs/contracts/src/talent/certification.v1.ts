import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { CODE_PATTERN, DATE_PATTERN, PSEUDONYM_MESSAGE, PSEUDONYM_PATTERN } from './common';

export const TALENT_CERTIFIED_V1 = 'cn.shuanglai.talent.certified.v1';
export const TALENT_CERTIFICATION_RENEWED_V1 = 'cn.shuanglai.talent.certification.renewed.v1';
export const TALENT_CERTIFICATION_SUSPENDED_V1 = 'cn.shuanglai.talent.certification.suspended.v1';
export const TALENT_CERTIFICATION_REVOKED_V1 = 'cn.shuanglai.talent.certification.revoked.v1';

export const CERTIFICATION_STATUSES = ['active', 'suspended', 'revoked'] as const;
export type CertificationStatus = (typeof CERTIFICATION_STATUSES)[number];

/**
 * The whole state of a certification after a change by its issuing city (the event's origin). Every change carries
 * the full state and a version, so peers apply the highest version whatever the order of arrival.
 */
export class CertificationStateV1 {
  @IsUUID()
  certificationId!: string;

  @Matches(PSEUDONYM_PATTERN, { message: `person ${PSEUDONYM_MESSAGE}` })
  person!: string;

  @ApiProperty({ example: 'A', description: 'A tier code of the programme (GET /talent/catalogue)' })
  @Matches(CODE_PATTERN)
  tier!: string;

  @ApiProperty({ example: 'integrated circuits' })
  @IsString()
  @MaxLength(200)
  field!: string;

  @ApiProperty({ example: 'Laixi Human Resources and Social Security Bureau' })
  @IsString()
  @MaxLength(200)
  issuingBureau!: string;

  @ApiProperty({ example: '2026-01-01', description: 'First day of validity (YYYY-MM-DD, China)' })
  @Matches(DATE_PATTERN)
  validFrom!: string;

  @ApiProperty({ example: '2028-12-31', description: 'Last day of validity (YYYY-MM-DD, China), included' })
  @Matches(DATE_PATTERN)
  validUntil!: string;

  @IsIn(CERTIFICATION_STATUSES)
  status!: CertificationStatus;

  @IsDateString()
  certifiedAt!: string;

  @IsInt()
  @Min(1)
  version!: number;

  @ApiPropertyOptional({ example: 'left the programme', description: 'Why it was suspended or revoked' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
