import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { IsResidentId } from '@app/bus';
import { DATE_PATTERN, HUKOU_CHANGES, HukouChange } from '@app/contracts';

export class HukouRecordDto {
  @ApiProperty({ example: '370285196205237809' })
  @IsResidentId()
  residentId!: string;

  @ApiProperty({ enum: HUKOU_CHANGES, description: "A change of the person's household registration in this city" })
  @IsIn(HUKOU_CHANGES)
  change!: HukouChange;

  @ApiProperty({ example: '2026-03-01' })
  @Matches(DATE_PATTERN, { message: 'on must be a date written YYYY-MM-DD' })
  on!: string;
}
