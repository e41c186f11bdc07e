import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import {
  ED25519_SIGNATURE_PATTERN,
  KID_PATTERN,
  LOG_SIZE_PATTERN,
  SHA256_HEX_PATTERN,
  TIMESTAMP_MS_PATTERN,
} from './ledger-fields';

/**
 * A signed tree head of one city's ledger log (RFC 9162 section 4.10; C2SP tlog-checkpoint): its size, its root hash
 * and a timestamp that strictly increases from one head to the next, signed with the city's Ed25519 key (`kid` names
 * the key in the region registry). The signed text is the checkpoint note body
 * `shuanglai.bus/ledger/<region>\n<size>\n<base64 root>\ntimestamp <ms>\n`.
 */
export class SignedCheckpointV1 {
  @ApiProperty({ example: '42' })
  @Matches(LOG_SIZE_PATTERN, { message: 'size must be a whole number' })
  size!: string;

  @Matches(SHA256_HEX_PATTERN, { message: 'root must be 64 lower-case hex digits' })
  root!: string;

  @Matches(TIMESTAMP_MS_PATTERN, { message: 'timestamp must be milliseconds since the epoch' })
  timestamp!: string;

  @Matches(KID_PATTERN)
  kid!: string;

  @Matches(ED25519_SIGNATURE_PATTERN, { message: 'signature must be a base64 Ed25519 signature' })
  signature!: string;
}

/** The deepest consistency proof accepted: 2 × log2 of the largest log plus one. */
const MAX_PROOF = 100;

export const LEDGER_HEAD_SUBMITTED_V1 = 'cn.shuanglai.ledger.head.submitted.v1';

/**
 * A city submits its latest signed tree head to a peer acting as witness (C2SP tlog-witness add-checkpoint), directed
 * to it: with the consistency proof from `oldSize`, the size of the last head that peer cosigned, as this city knows.
 */
export class LedgerHeadSubmittedV1 {
  @ValidateNested()
  @Type(() => SignedCheckpointV1)
  checkpoint!: SignedCheckpointV1;

  @Matches(LOG_SIZE_PATTERN, { message: 'oldSize must be a whole number' })
  oldSize!: string;

  @ArrayMaxSize(MAX_PROOF)
  @Matches(SHA256_HEX_PATTERN, { each: true, message: 'each consistency hash must be 64 lower-case hex digits' })
  consistency!: string[];
}

export const LEDGER_HEAD_COSIGNED_V1 = 'cn.shuanglai.ledger.head.cosigned.v1';

/**
 * The witness's cosignature of a head (C2SP tlog-cosignature), directed back to the log's city: Ed25519 over
 * `cosignature/v1\ntime <seconds>\n` followed by the checkpoint body, with the witness's key.
 */
export class LedgerHeadCosignedV1 {
  @Matches(LOG_SIZE_PATTERN, { message: 'size must be a whole number' })
  size!: string;

  @Matches(SHA256_HEX_PATTERN, { message: 'root must be 64 lower-case hex digits' })
  root!: string;

  @Matches(TIMESTAMP_MS_PATTERN, { message: 'timestamp must be milliseconds since the epoch' })
  timestamp!: string;

  /** Seconds since the epoch, as the cosigned text names them. */
  @Matches(TIMESTAMP_MS_PATTERN, { message: 'cosignedAt must be seconds since the epoch' })
  cosignedAt!: string;

  @Matches(KID_PATTERN)
  kid!: string;

  @Matches(ED25519_SIGNATURE_PATTERN, { message: 'signature must be a base64 Ed25519 signature' })
  signature!: string;
}

export const LEDGER_HEAD_REFUSAL_CODES = [
  /** Not newer than the last head accepted from that city (a replay). */
  'STALE',
  /** oldSize is not the size the witness last cosigned: `cosignedSize` says which it is. */
  'OLD_SIZE',
  /** The proof does not show the head extends the last cosigned one: the two heads are kept as proof. */
  'INCONSISTENT',
  /** The head's root is not the root of the witness's own copy of the entries at that size. */
  'MISMATCH',
] as const;
export type LedgerHeadRefusalCode = (typeof LEDGER_HEAD_REFUSAL_CODES)[number];

export const LEDGER_HEAD_REFUSED_V1 = 'cn.shuanglai.ledger.head.refused.v1';

/** The witness's refusal to cosign a head, directed back to the log's city, with the reason. */
export class LedgerHeadRefusedV1 {
  @Matches(LOG_SIZE_PATTERN, { message: 'size must be a whole number' })
  size!: string;

  @Matches(SHA256_HEX_PATTERN, { message: 'root must be 64 lower-case hex digits' })
  root!: string;

  /** The refused head's timestamp. */
  @Matches(TIMESTAMP_MS_PATTERN, { message: 'timestamp must be milliseconds since the epoch' })
  timestamp!: string;

  @IsIn(LEDGER_HEAD_REFUSAL_CODES)
  code!: LedgerHeadRefusalCode;

  @MinLength(1)
  @MaxLength(500)
  reason!: string;

  /** The size of the last head the witness cosigned ('0': none). */
  @Matches(LOG_SIZE_PATTERN, { message: 'cosignedSize must be a whole number' })
  cosignedSize!: string;

  /** The first entry where the witness's copy differs from the log's signed heads, when known. */
  @IsOptional()
  @Matches(LOG_SIZE_PATTERN, { message: 'firstDifference must be a whole number' })
  firstDifference?: string;
}
