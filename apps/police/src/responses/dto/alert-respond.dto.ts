import { ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { MinLength } from 'class-validator';
import { AlertAcknowledgedV1 } from '@app/contracts';

/** A unit that gives a reason gives one that is not empty (the event accepts any string). */
class NonEmptyReason {
  @ApiPropertyOptional({ minLength: 1 })
  @MinLength(1)
  reason?: string;
}

export class AlertRespondDto extends IntersectionType(
  PickType(AlertAcknowledgedV1, ['status', 'reason'] as const),
  NonEmptyReason,
) {}
