import { ApiProperty } from '@nestjs/swagger';
import { MaxLength } from 'class-validator';
import { IsResidentId } from '@app/bus';
import { CONTINUITY_OF_CARE, IsPurpose } from '@app/contracts';

export class PurposeDto {
  @ApiProperty({ example: CONTINUITY_OF_CARE, description: 'Why the clinician reads: must match the consent' })
  @IsPurpose()
  @MaxLength(64)
  purpose!: string;
}

export class SharedRecordsQueryDto extends PurposeDto {
  @ApiProperty({ example: '370285196205237809' })
  @IsResidentId()
  residentId!: string;
}
