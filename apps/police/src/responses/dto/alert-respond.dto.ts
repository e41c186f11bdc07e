import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { ALERT_RESPONSE_STATUSES, AlertResponseStatus } from '@app/contracts';

export class AlertRespondDto {
  @ApiProperty({
    enum: ALERT_RESPONSE_STATUSES,
    description: 'ACKNOWLEDGED first, then ACTION_TAKEN or ACTION_NOT_POSSIBLE',
  })
  @IsIn(ALERT_RESPONSE_STATUSES)
  status!: AlertResponseStatus;

  @ApiPropertyOptional({ description: 'Required for ACTION_NOT_POSSIBLE', maxLength: 1000 })
  @ValidateIf((dto: AlertRespondDto) => dto.status === 'ACTION_NOT_POSSIBLE' || dto.reason !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason?: string;
}
