import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
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
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCreditCode } from '../credit-code';
import { PSEUDONYM_PATTERN } from '../pseudonym';
import { CATALOGUE_VERSION_PATTERN, MATTER_CODE_PATTERN, SHA256_MESSAGE, SHA256_PATTERN } from './common';

export const AFFAIRS_APPLICATION_SUBMITTED_V1 = 'cn.shuanglai.affairs.application.submitted.v1';
export const AFFAIRS_MATERIAL_CHUNK_V1 = 'cn.shuanglai.affairs.material.chunk.v1';
export const AFFAIRS_SUPPLEMENT_PROVIDED_V1 = 'cn.shuanglai.affairs.supplement.provided.v1';

export const APPLICANT_KINDS = ['person', 'enterprise'] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];
export const DELIVERY_MODES = ['window', 'post'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** Material codes of the catalogue (`business-licence`). */
export const MATERIAL_CODE_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;
/** The largest chunk of a material's content (before encryption): a chunk event stays under the bus's limit. */
export const MAX_CHUNK_BYTES = 1024 * 1024;
/** A chunk's base64 ciphertext (content plus the 16-byte GCM tag). */
const MAX_CHUNK_BASE64 = Math.ceil((MAX_CHUNK_BYTES + 16) / 3) * 4;
/** The most chunks one material may travel in (a 20 MB material in chunks of 256 KB or more). */
export const MAX_CHUNKS = 400;
/** The most materials one application (or one supplement) carries. */
export const MAX_MATERIALS = 40;

/** A value sealed to the target region's X25519 key (see `seal` in @app/bus): only the target can open it. */
export class SealedBoxV1 {
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'epk must be a raw X25519 public key in base64url' })
  epk!: string;

  @Matches(/^[A-Za-z0-9+/]{16}$/, { message: 'iv must be 12 bytes in base64' })
  iv!: string;

  @IsString()
  @MaxLength(16_384)
  ciphertext!: string;
}

/** One material of an application as the filing window received it: its content follows in chunks. */
export class MaterialManifestV1 {
  @ApiProperty({ example: 'business-licence' })
  @Matches(MATERIAL_CODE_PATTERN)
  code!: string;

  @ApiProperty({ example: 'licence.pdf' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  fileName!: string;

  @ApiProperty({ example: 'pdf' })
  @Matches(/^[a-z0-9]{1,8}$/)
  format!: string;

  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(MAX_CHUNK_BYTES * MAX_CHUNKS)
  bytes!: number;

  @ApiProperty({ description: 'SHA-256 of the content, base64url' })
  @Matches(SHA256_PATTERN, { message: `sha256 ${SHA256_MESSAGE}` })
  sha256!: string;

  @IsInt()
  @Min(1)
  @Max(MAX_CHUNKS)
  chunks!: number;
}

/**
 * An application filed at this city's window for a matter another city handles (收受分离), sent to that city alone
 * (directed). Who applies travels as a pseudonym; what the handling city needs to know of them (identity number,
 * name, contact, postal address) and the key of the materials' content are sealed to its key.
 */
export class ApplicationSubmittedV1 {
  @IsUUID()
  applicationId!: string;

  @Matches(MATTER_CODE_PATTERN)
  matterCode!: string;

  @Matches(CATALOGUE_VERSION_PATTERN)
  catalogueVersion!: string;

  @IsIn(APPLICANT_KINDS)
  applicantKind!: ApplicantKind;

  /** The applicant, or the enterprise's representative: a keyed pseudonym. */
  @Matches(PSEUDONYM_PATTERN, { message: 'person must be a keyed pseudonym, never a clear ID number' })
  person!: string;

  @ValidateIf((application: ApplicationSubmittedV1) => application.applicantKind === 'enterprise')
  @IsString()
  @IsCreditCode()
  creditCode?: string;

  @ValidateNested()
  @Type(() => SealedBoxV1)
  sealed!: SealedBoxV1;

  @ValidateNested({ each: true })
  @Type(() => MaterialManifestV1)
  @ArrayMaxSize(MAX_MATERIALS)
  materials!: MaterialManifestV1[];

  @IsIn(DELIVERY_MODES)
  delivery!: DeliveryMode;

  @IsDateString({ strict: true })
  submittedAt!: string;
}

/** What the handling city opens from `sealed`: never on a topic in clear. */
export interface SealedApplicant {
  residentId: string;
  name: string;
  mobile: string;
  enterpriseName?: string;
  postalAddress?: string;
  /** AES-256 key of the materials' chunks, base64. */
  contentKey: string;
}

/**
 * A slice of one material's content, encrypted with the application's content key (AES-256-GCM, associated data
 * `<applicationId>/<round>/<materialCode>/<index>`). All chunks of an application share its key, so they arrive in
 * order; the handling city reassembles a material and checks its SHA-256 before it uses it.
 */
export class MaterialChunkV1 {
  @IsUUID()
  applicationId!: string;

  /** 0: the application; n: its n-th supplement. */
  @IsInt()
  @Min(0)
  @Max(100)
  round!: number;

  @Matches(MATERIAL_CODE_PATTERN)
  materialCode!: string;

  @IsInt()
  @Min(0)
  @Max(MAX_CHUNKS - 1)
  index!: number;

  @Matches(/^[A-Za-z0-9+/]{16}$/, { message: 'iv must be 12 bytes in base64' })
  iv!: string;

  @IsString()
  @MaxLength(MAX_CHUNK_BASE64)
  data!: string;
}

/** The applicant answered a request for supplements at the filing city's window: new materials follow in chunks. */
export class SupplementProvidedV1 {
  @IsUUID()
  applicationId!: string;

  @IsInt()
  @Min(1)
  @Max(100)
  round!: number;

  @ValidateNested({ each: true })
  @Type(() => MaterialManifestV1)
  @ArrayMaxSize(MAX_MATERIALS)
  materials!: MaterialManifestV1[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;

  @IsDateString({ strict: true })
  providedAt!: string;
}
