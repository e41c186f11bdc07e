import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsISO8601,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { POLICE_CODE } from './alert.v1';

export const ALERT_RECEIVED_V1 = 'cn.shuanglai.police.alert.received.v1';
export const ALERT_ACKNOWLEDGED_V1 = 'cn.shuanglai.police.alert.acknowledged.v1';

export const ALERT_RESPONSE_STATUSES = ['ACKNOWLEDGED', 'ACTION_TAKEN', 'ACTION_NOT_POSSIBLE'] as const;
export type AlertResponseStatus = (typeof ALERT_RESPONSE_STATUSES)[number];

export class AlertReceiptV1 {
  @Matches(POLICE_CODE)
  unit!: string;

  @IsISO8601({ strict: true })
  receivedAt!: string;
}

/** Units of the publishing region that received an alert (first delivery each), sent to the raising region only. */
export class AlertReceivedV1 {
  @IsUUID()
  alertId!: string;

  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => AlertReceiptV1)
  receipts!: AlertReceiptV1[];
}

/** A unit's answer to an alert of another region, sent to the raising region only. */
export class AlertAcknowledgedV1 {
  @IsUUID()
  alertId!: string;

  @Matches(POLICE_CODE)
  unit!: string;

  @ApiProperty({
    enum: ALERT_RESPONSE_STATUSES,
    description: 'ACKNOWLEDGED first, then ACTION_TAKEN or ACTION_NOT_POSSIBLE',
  })
  @IsIn(ALERT_RESPONSE_STATUSES)
  status!: AlertResponseStatus;

  @ApiPropertyOptional({ description: 'Required for ACTION_NOT_POSSIBLE', maxLength: 1000 })
  @ValidateIf((answer: AlertAcknowledgedV1) => answer.status === 'ACTION_NOT_POSSIBLE' || answer.reason !== undefined)
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @IsISO8601({ strict: true })
  at!: string;
}
