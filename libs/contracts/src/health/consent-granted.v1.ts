import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  Equals,
  IsArray,
  IsISO8601,
  IsOptional,
  IsUUID,
  MaxLength,
  Validate,
  ValidateIf,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { CONTINUITY_OF_CARE, IsPseudonym, IsPurpose, IsRegionName } from './health-fields';

export const HEALTH_CONSENT_GRANTED_V1 = 'cn.shuanglai.health.consent.granted.v1';

@ValidatorConstraint({ name: 'noGranteesWithAllPeers' })
class NoGranteesWithAllPeers implements ValidatorConstraintInterface {
  validate(_value: unknown, args: ValidationArguments): boolean {
    return (args.object as ConsentGrantedV1).grantees === undefined;
  }

  defaultMessage(): string {
    return 'allPeers and grantees exclude each other';
  }
}

/**
 * A patient's consent, recorded by the patient's home city (the event's origin), that the named regions (or every
 * peer) may hold and read the patient's health data for `purpose`. Sent as directed copies: one to each grantee and
 * one to the home region itself.
 */
export class ConsentGrantedV1 {
  @IsUUID()
  consentId!: string;

  @IsPseudonym()
  patient!: string;

  @ApiProperty({
    example: CONTINUITY_OF_CARE,
    description: 'What the data may be used for: lower-case words joined by dashes',
  })
  @IsPurpose()
  @MaxLength(64)
  purpose!: string;

  /** The regions the consent names; absent when `allPeers` is true, required otherwise. */
  @ApiPropertyOptional({ type: [String], example: ['laiyang'], description: 'Peer regions; or allPeers: true' })
  @ValidateIf((consent: ConsentGrantedV1) => consent.allPeers !== true || consent.grantees !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(64)
  @ArrayUnique()
  @IsRegionName({ each: true })
  grantees?: string[];

  /** Every peer of the home region (now and later), instead of a list. */
  @IsOptional()
  @Equals(true)
  @Validate(NoGranteesWithAllPeers)
  allPeers?: true;

  @ApiProperty({ description: 'When the consent takes effect (a HIS may leave it out: now)' })
  @IsISO8601({ strict: true })
  validFrom!: string;

  @ApiPropertyOptional({ description: 'When the consent ends (absent: until revoked)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  validUntil?: string;

  @IsISO8601({ strict: true })
  grantedAt!: string;
}
