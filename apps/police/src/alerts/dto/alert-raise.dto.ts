import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType, PickType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsResidentId } from '@app/bus';
import { ALERT_MAX_PERSONS, AlertStateV1 } from '@app/contracts';

/** A unit's alert says something: the event's texts may be empty, a raised alert's may not. */
class AlertTexts {
  @ApiProperty({ minLength: 1 })
  @MinLength(1)
  description!: string;

  @ApiProperty({ minLength: 1 })
  @MinLength(1)
  actionRequested!: string;
}

export class AlertRaiseDto extends IntersectionType(
  PickType(AlertStateV1, ['area', 'severity', 'location', 'description', 'actionRequested', 'expiresAt'] as const),
  AlertTexts,
) {
  @ApiPropertyOptional({
    type: [String],
    description: 'Resident ID numbers of persons who must be named: only their keyed pseudonyms are kept and sent',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ALERT_MAX_PERSONS)
  @IsResidentId({ each: true })
  personResidentIds?: string[];
}

export class AlertUpdateDto extends PartialType(
  PickType(AlertRaiseDto, ['severity', 'location', 'description', 'actionRequested', 'expiresAt'] as const),
) {}

/** Not the event's `endReason`: the HTTP body names it `reason`. */
export class AlertEndDto {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
