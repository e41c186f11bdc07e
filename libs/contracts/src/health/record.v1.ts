import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsPseudonym } from './health-fields';

export const HEALTH_RECORD_REPLICATED_V1 = 'cn.shuanglai.health.record.replicated.v1';
export const HEALTH_RECORD_RETRACTED_V1 = 'cn.shuanglai.health.record.retracted.v1';

/** The kinds of document a HIS publishes: the resident health archive summary and EMR documents. */
export const DOCUMENT_KINDS = ['archive-summary', 'outpatient-record', 'discharge-summary'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export class DocumentAuthorV1 {
  @ApiProperty({ example: 'Dr. Wang Li' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ example: 'attending physician' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  role!: string;
}

/** The content of a health document, as it crosses the line (the patient named by a pseudonym). */
export class HealthDocumentV1 {
  @ApiProperty()
  @IsUUID()
  documentId!: string;

  @ApiProperty({ description: 'The patient’s pseudonym (p1.…), never the resident ID' })
  @IsPseudonym()
  patient!: string;

  /** Starts at 1; each amendment adds one. The highest version wins, whatever order copies arrive in. */
  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiProperty({ enum: DOCUMENT_KINDS })
  @IsIn(DOCUMENT_KINDS)
  kind!: DocumentKind;

  /** The document type code of the national EMR data-set standard (WS 445), e.g. `C0032` for a discharge summary. */
  @ApiProperty({ example: 'C0032', description: 'Document type code (WS 445 EMR data set)' })
  @Matches(/^[A-Z0-9][A-Z0-9.-]{0,31}$/, { message: 'typeCode must be 1 to 32 upper-case letters, digits, . or -' })
  typeCode!: string;

  @ApiProperty({ type: DocumentAuthorV1 })
  @ValidateNested()
  @Type(() => DocumentAuthorV1)
  author!: DocumentAuthorV1;

  @ApiProperty({ example: 'Laixi People’s Hospital' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  hospital!: string;

  @ApiProperty({ example: '2026-11-20T09:30:00+08:00' })
  @IsISO8601({ strict: true })
  encounterAt!: string;

  /** The structured body (sections and coded entries), as the HIS sent it. */
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Structured body: sections, coded entries' })
  @IsObject()
  body!: Record<string, unknown>;

  @ApiProperty()
  @IsISO8601({ strict: true })
  updatedAt!: string;
}

/** A version of a document, sent to a peer that holds the patient's consent for continuity of care. */
export class RecordReplicatedV1 extends HealthDocumentV1 {}

/** The document was withdrawn by its author's hospital: peers drop its content and keep the retraction. */
export class RecordRetractedV1 {
  @IsUUID()
  documentId!: string;

  @IsPseudonym()
  patient!: string;

  @IsInt()
  @Min(1)
  version!: number;

  @IsISO8601({ strict: true })
  retractedAt!: string;
}
