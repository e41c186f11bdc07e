import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsResidentId } from '@app/bus';
import { DOCUMENT_KINDS, DocumentKind } from '@app/contracts';
import { INT4_MAX } from '@app/http';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

export class DocumentAuthorDto {
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

/** The content of a document version, as the HIS sends it. */
export class DocumentContentDto {
  @ApiProperty({ example: 'C0032', description: 'Document type code (WS 445 EMR data set)' })
  @Matches(/^[A-Z0-9][A-Z0-9.-]{0,31}$/, { message: 'typeCode must be 1 to 32 upper-case letters, digits, . or -' })
  typeCode!: string;

  @ApiProperty({ type: DocumentAuthorDto })
  @ValidateNested()
  @Type(() => DocumentAuthorDto)
  author!: DocumentAuthorDto;

  @ApiProperty({ example: 'Laixi People’s Hospital' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  hospital!: string;

  @ApiProperty({ example: '2026-11-20T09:30:00+08:00' })
  @IsISO8601({ strict: true })
  encounterAt!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Structured body: sections, coded entries' })
  @IsObject()
  body!: Record<string, unknown>;
}

export class RecordPublishDto extends DocumentContentDto {
  @ApiProperty({ description: 'The HIS’s id of this request: sending it twice creates one document' })
  @Matches(REQUEST_ID, { message: 'requestId must be 8 to 100 letters, digits or ._:-' })
  requestId!: string;

  @ApiProperty({ example: '370285196205237809', description: 'GB 11643 resident identity number' })
  @IsResidentId()
  residentId!: string;

  @ApiProperty({ enum: DOCUMENT_KINDS })
  @IsIn(DOCUMENT_KINDS)
  kind!: DocumentKind;
}

export class RecordAmendDto extends DocumentContentDto {
  @ApiProperty()
  @Matches(REQUEST_ID, { message: 'requestId must be 8 to 100 letters, digits or ._:-' })
  requestId!: string;

  @ApiProperty({
    description: 'The version this amendment creates: the current version plus one',
    minimum: 2,
    maximum: INT4_MAX,
  })
  @IsInt()
  @Min(2)
  @Max(INT4_MAX)
  version!: number;
}

export class RecordRetractDto {
  @ApiProperty()
  @Matches(REQUEST_ID, { message: 'requestId must be 8 to 100 letters, digits or ._:-' })
  requestId!: string;

  @ApiProperty({
    description: 'The version the retraction creates: the current version plus one',
    minimum: 2,
    maximum: INT4_MAX,
  })
  @IsInt()
  @Min(2)
  @Max(INT4_MAX)
  version!: number;
}
