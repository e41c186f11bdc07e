import { ApiProperty } from '@nestjs/swagger';
import { IsDateString, IsIn, IsUUID, Matches } from 'class-validator';
import { DATE_PATTERN, PSEUDONYM_MESSAGE, PSEUDONYM_PATTERN } from './common';

export const TALENT_HUKOU_RECORDED_V1 = 'cn.shuanglai.talent.hukou.recorded.v1';

export const HUKOU_CHANGES = ['registered', 'moved-in', 'moved-out'] as const;
export type HukouChange = (typeof HUKOU_CHANGES)[number];

/** A household-registration fact of the origin city, which is its only authority. */
export class HukouRecordedV1 {
  @IsUUID()
  factId!: string;

  @Matches(PSEUDONYM_PATTERN, { message: `person ${PSEUDONYM_MESSAGE}` })
  person!: string;

  @ApiProperty({ enum: HUKOU_CHANGES, description: "A change of the person's household registration in the city" })
  @IsIn(HUKOU_CHANGES)
  change!: HukouChange;

  @ApiProperty({ example: '2026-03-01', description: 'The day of the change (YYYY-MM-DD, China)' })
  @Matches(DATE_PATTERN)
  on!: string;

  @IsDateString()
  recordedAt!: string;
}
