import { Type as ClassType } from '@nestjs/common';
import { ApiProperty, OmitType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ValidateNested } from 'class-validator';
import { DutyShiftV1, RosterPublishedV1 } from '@app/contracts';

/** A shift as a unit submits it: the service assigns its id. */
export class DutyShiftDto extends OmitType(DutyShiftV1, ['shiftId'] as const) {}

/**
 * The event's `shifts` with its size limits, each shift without its id: the nested validation and type below replace
 * the event's (the cast only hides the event's element type, which DutyShiftDto narrows).
 */
export class RosterPublishDto extends (PickType(RosterPublishedV1, ['shifts'] as const) as ClassType<object>) {
  @ApiProperty({ type: [DutyShiftDto] })
  @ValidateNested({ each: true })
  @Type(() => DutyShiftDto)
  shifts!: DutyShiftDto[];
}
