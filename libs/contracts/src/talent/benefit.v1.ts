import { ApiProperty } from '@nestjs/swagger';
import {
  IsBoolean,
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
} from 'class-validator';
import { CODE_PATTERN, DATE_PATTERN, PSEUDONYM_MESSAGE, PSEUDONYM_PATTERN } from './common';

export const TALENT_CLAIM_REQUESTED_V1 = 'cn.shuanglai.talent.benefit.claim.requested.v1';
export const TALENT_CLAIM_DECIDED_V1 = 'cn.shuanglai.talent.benefit.claim.decided.v1';
export const TALENT_BENEFIT_GRANTED_V1 = 'cn.shuanglai.talent.benefit.granted.v1';

const REGION_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/** A claim for an exclusive benefit, addressed (target) to the city that certified the person, which arbitrates. */
export class ClaimRequestedV1 {
  @IsUUID()
  claimId!: string;

  @Matches(PSEUDONYM_PATTERN, { message: `person ${PSEUDONYM_MESSAGE}` })
  person!: string;

  @ApiProperty({ example: 'settling-in-allowance', description: "A benefit of the programme's catalogue" })
  @Matches(CODE_PATTERN)
  benefitCode!: string;

  /** The city that will pay and awaits the answer; not the origin when a non-certifier redirected the claim. */
  @Matches(REGION_PATTERN)
  claimant!: string;

  /** The day of the claim in the claimant's calendar: the certification must be valid on it. */
  @Matches(DATE_PATTERN)
  claimedOn!: string;

  /** Set by the last city that received the claim without holding the person's authority and passed it on. */
  @IsOptional()
  @Matches(REGION_PATTERN)
  redirectedBy?: string;

  /** How many times it was passed on along the person's authority hand-overs (absent: never). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(16)
  hops?: number;
}

export const CLAIM_DECISIONS = ['granted', 'denied'] as const;
export type ClaimDecision = (typeof CLAIM_DECISIONS)[number];

export const DENIAL_REASONS = [
  'already-granted',
  'certification-not-valid',
  'tier-not-eligible',
  'not-certified',
  'unknown-benefit',
] as const;
export type DenialReason = (typeof DENIAL_REASONS)[number];

/** The certifier's answer to a claim, addressed (target) to the claimant. */
export class ClaimDecidedV1 {
  @IsUUID()
  claimId!: string;

  @Matches(PSEUDONYM_PATTERN, { message: `person ${PSEUDONYM_MESSAGE}` })
  person!: string;

  @Matches(CODE_PATTERN)
  benefitCode!: string;

  @IsIn(CLAIM_DECISIONS)
  decision!: ClaimDecision;

  @IsOptional()
  @IsIn(DENIAL_REASONS)
  reason?: DenialReason;

  /** With `already-granted`: the city where the benefit was granted. */
  @IsOptional()
  @Matches(REGION_PATTERN)
  grantedIn?: string;

  @IsDateString()
  decidedAt!: string;
}

/** A benefit granted to a person, published by the city that decided it, so every city's status query shows it. */
export class BenefitGrantedV1 {
  @IsUUID()
  grantId!: string;

  @IsOptional()
  @IsUUID()
  claimId?: string;

  @Matches(PSEUDONYM_PATTERN, { message: `person ${PSEUDONYM_MESSAGE}` })
  person!: string;

  @Matches(CODE_PATTERN)
  benefitCode!: string;

  @IsBoolean()
  exclusive!: boolean;

  /** The city that pays it. */
  @Matches(REGION_PATTERN)
  grantedIn!: string;

  @IsDateString()
  grantedAt!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}
