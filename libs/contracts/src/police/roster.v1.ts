import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsISO8601, IsUUID, Matches, ValidateNested } from 'class-validator';
import { POLICE_CODE } from './alert.v1';

export const ROSTER_PUBLISHED_V1 = 'cn.shuanglai.police.roster.published.v1';

export class DutyShiftV1 {
  @IsUUID()
  shiftId!: string;

  @Matches(POLICE_CODE)
  unit!: string;

  @Matches(POLICE_CODE)
  zone!: string;

  @IsISO8601({ strict: true })
  startsAt!: string;

  @IsISO8601({ strict: true })
  endsAt!: string;
}

/** Shifts of the publishing region's units on joint duty, by boundary zone: both cities see both rosters. */
export class RosterPublishedV1 {
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => DutyShiftV1)
  shifts!: DutyShiftV1[];
}
