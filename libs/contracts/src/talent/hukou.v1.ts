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

  @IsIn(HUKOU_CHANGES)
  change!: HukouChange;

  @Matches(DATE_PATTERN)
  on!: string;

  @IsDateString()
  recordedAt!: string;
}
