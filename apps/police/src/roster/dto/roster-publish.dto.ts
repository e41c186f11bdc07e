import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsISO8601, Matches, ValidateNested } from 'class-validator';
import { POLICE_CODE } from '@app/contracts';

export class DutyShiftDto {
  @ApiProperty({ example: 'laiyang-patrol-3', description: 'A unit of the caller’s region' })
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

export class RosterPublishDto {
  @ApiProperty({ type: [DutyShiftDto] })
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => DutyShiftDto)
  shifts!: DutyShiftDto[];
}
