import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsISO8601, IsUUID, Matches, ValidateNested } from 'class-validator';
import { POLICE_CODE } from './alert.v1';

export const ROSTER_PUBLISHED_V1 = 'cn.shuanglai.police.roster.published.v1';

export class DutyShiftV1 {
  @IsUUID()
  shiftId!: string;

  @ApiProperty({ example: 'laiyang-patrol-3', description: 'A unit of the publishing region' })
  @Matches(POLICE_CODE)
  unit!: string;

  @ApiProperty({ example: 'BZ-03' })
  @Matches(POLICE_CODE)
  zone!: string;

  @ApiProperty({ example: '2026-11-24T08:00:00Z' })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty({ example: '2026-11-24T20:00:00Z' })
  @IsISO8601({ strict: true })
  endsAt!: string;
}

/** Shifts of the publishing region's units on joint duty, by boundary zone: both cities see both rosters. */
export class RosterPublishedV1 {
  @ApiProperty({ type: [DutyShiftV1] })
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => DutyShiftV1)
  shifts!: DutyShiftV1[];
}
