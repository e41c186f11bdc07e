import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsDateString,
  IsInt,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { CODE_PATTERN, PSEUDONYM_MESSAGE, PSEUDONYM_PATTERN } from './common';

export const TALENT_AUTHORITY_REQUESTED_V1 = 'cn.shuanglai.talent.authority.requested.v1';
export const TALENT_AUTHORITY_HANDED_OVER_V1 = 'cn.shuanglai.talent.authority.handed-over.v1';
export const TALENT_AUTHORITY_REFUSED_V1 = 'cn.shuanglai.talent.authority.refused.v1';

const REGION_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * A city that wants to certify a person asks the city holding the person's authority (directed to it): only the
 * holder certifies, and it hands the authority over only when it holds no certification of the person not revoked.
 */
export class AuthorityRequestedV1 {
  @IsUUID()
  requestId!: string;

  @Matches(PSEUDONYM_PATTERN, { message: `person ${PSEUDONYM_MESSAGE}` })
  person!: string;

  /** The city that wants to certify and awaits the answer. */
  @Matches(REGION_PATTERN)
  requester!: string;

  /** Set by a city that no longer holds the authority and passed the request on to the holder it handed it to. */
  @IsOptional()
  @Matches(REGION_PATTERN)
  forwardedBy?: string;

  /** How many times the request was passed on: bounded, so a request can never circle for ever. */
  @IsInt()
  @Min(0)
  @Max(16)
  hops!: number;
}

/** An exclusive benefit already granted to the person: part of the authority's ledger, handed over with it. */
export class AuthorityGrantV1 {
  @ApiProperty()
  @IsUUID()
  claimId!: string;

  @ApiProperty({ example: 'settling-in-allowance' })
  @Matches(CODE_PATTERN)
  benefitCode!: string;

  @ApiProperty({ example: 'laixi' })
  @Matches(REGION_PATTERN)
  grantedIn!: string;

  @ApiProperty()
  @IsDateString()
  decidedAt!: string;
}

/**
 * The most exclusive grants a hand-over carries. A person holds at most one grant of each exclusive benefit (the
 * certifier's unique index), and a talent programme offering more exclusive benefits than this is refused at boot,
 * so every ledger fits; a holder whose ledger did not would refuse the hand-over rather than send it.
 */
export const AUTHORITY_MAX_GRANTS = 1000;

/** The holder's answer: the authority (and its ledger of exclusive grants) is now the requester's, at `epoch`. */
export class AuthorityHandedOverV1 {
  @IsUUID()
  requestId!: string;

  @Matches(PSEUDONYM_PATTERN, { message: `person ${PSEUDONYM_MESSAGE}` })
  person!: string;

  /** Raised by one at every hand-over of the person's authority. */
  @IsInt()
  @Min(1)
  epoch!: number;

  @ApiProperty({ type: () => [AuthorityGrantV1] })
  @ValidateNested({ each: true })
  @Type(() => AuthorityGrantV1)
  @ArrayMaxSize(AUTHORITY_MAX_GRANTS)
  grants!: AuthorityGrantV1[];
}

/** The holder's answer: the person holds a certification of `certifier` that is not revoked; nothing changes. */
export class AuthorityRefusedV1 {
  @IsUUID()
  requestId!: string;

  @Matches(PSEUDONYM_PATTERN, { message: `person ${PSEUDONYM_MESSAGE}` })
  person!: string;

  @Matches(REGION_PATTERN)
  certifier!: string;
}
