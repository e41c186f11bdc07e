import { ApiProperty, IntersectionType, PickType } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { HealthDocumentV1 } from '@app/contracts';
import { INT4_MAX } from '@app/http';
import { PatientQueryDto } from '../../patient.dto';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** The content of a document version, as the HIS sends it: the replicated document's content fields. */
export class DocumentContentDto extends PickType(HealthDocumentV1, [
  'typeCode',
  'author',
  'hospital',
  'encounterAt',
  'body',
] as const) {}

/** A write of an existing document: the HIS's request id and the version the write creates. */
export class DocumentChangeDto {
  @ApiProperty({ description: 'The HIS’s id of this request: sending it twice makes one change' })
  @Matches(REQUEST_ID, { message: 'requestId must be 8 to 100 letters, digits or ._:-' })
  requestId!: string;

  @ApiProperty({
    description: 'The version the change creates: the current version plus one',
    minimum: 2,
    maximum: INT4_MAX,
  })
  @IsInt()
  @Min(2)
  @Max(INT4_MAX)
  version!: number;
}

export class RecordPublishDto extends IntersectionType(
  DocumentContentDto,
  PickType(HealthDocumentV1, ['kind'] as const),
  PickType(DocumentChangeDto, ['requestId'] as const),
  PatientQueryDto,
) {}

export class RecordAmendDto extends IntersectionType(DocumentContentDto, DocumentChangeDto) {}

export class RecordRetractDto extends DocumentChangeDto {}
