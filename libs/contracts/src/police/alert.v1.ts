import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsLatitude,
  IsLongitude,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PSEUDONYM_PATTERN } from '../pseudonym';

export const ALERT_RAISED_V1 = 'cn.shuanglai.police.alert.raised.v1';
export const ALERT_UPDATED_V1 = 'cn.shuanglai.police.alert.updated.v1';
export const ALERT_CLOSED_V1 = 'cn.shuanglai.police.alert.closed.v1';
export const ALERT_CANCELLED_V1 = 'cn.shuanglai.police.alert.cancelled.v1';
export const ALERT_ESCALATED_V1 = 'cn.shuanglai.police.alert.escalated.v1';

/** Codes of areas, severities, zones and units: the catalogue itself is each service's configuration. */
export const POLICE_CODE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
export const ALERT_STATUSES = ['ACTIVE', 'CLOSED', 'CANCELLED'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** The most persons an alert names: a raise naming more is refused (400 naming personResidentIds). */
export const ALERT_MAX_PERSONS = 20;

export class AlertLocationV1 {
  @ApiProperty({ example: 36.93 })
  @IsLatitude()
  lat!: number;

  @ApiProperty({ example: 120.62 })
  @IsLongitude()
  lon!: number;

  /** A boundary zone of the catalogue. */
  @ApiProperty({ example: 'BZ-03', description: 'A boundary zone of the catalogue (GET /catalogue)' })
  @Matches(POLICE_CODE)
  zone!: string;
}

export class AlertEscalationV1 {
  @IsISO8601({ strict: true })
  at!: string;

  @Matches(POLICE_CODE)
  fromSeverity!: string;

  /** The escalated alert goes to every unit, whatever they subscribed to. */
  @IsBoolean()
  widened!: boolean;
}

/**
 * The whole state of an alert after a change. Every alert event carries it with a version, so a receiver keeps
 * the highest version whatever the order of arrival. Personal data is minimal: descriptions, and where a person
 * must be named, the keyed pseudonym only.
 */
export class AlertStateV1 {
  @IsUUID()
  alertId!: string;

  @IsInt()
  @Min(1)
  version!: number;

  @IsIn(ALERT_STATUSES)
  status!: AlertStatus;

  @ApiProperty({ example: 'joint-duty', description: 'A key area of the catalogue' })
  @Matches(POLICE_CODE)
  area!: string;

  @ApiProperty({ example: 'P2', description: 'A severity of the catalogue' })
  @Matches(POLICE_CODE)
  severity!: string;

  @ApiProperty({ type: AlertLocationV1 })
  @ValidateNested()
  @Type(() => AlertLocationV1)
  location!: AlertLocationV1;

  @ApiProperty({ description: 'What happened: a description, no identity numbers', maxLength: 2000 })
  @IsString()
  @MaxLength(2000)
  description!: string;

  @ApiProperty({ maxLength: 1000 })
  @IsString()
  @MaxLength(1000)
  actionRequested!: string;

  @ApiProperty({ example: '2026-11-24T18:00:00Z' })
  @IsISO8601({ strict: true })
  expiresAt!: string;

  /** The raising unit (its organisation code in its region). */
  @Matches(POLICE_CODE)
  raisedBy!: string;

  @IsISO8601({ strict: true })
  raisedAt!: string;

  @IsISO8601({ strict: true })
  updatedAt!: string;

  /** At most ALERT_MAX_PERSONS: each delivery of the alert to another city's unit is reported home naming them all. */
  @IsArray()
  @ArrayMaxSize(ALERT_MAX_PERSONS)
  @Matches(PSEUDONYM_PATTERN, { each: true, message: 'each person must be a pseudonym (p1.…)' })
  personPseudonyms!: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => AlertEscalationV1)
  escalation?: AlertEscalationV1;

  /** Why it was closed or cancelled. */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  endReason?: string;
}

export class AlertRaisedV1 extends AlertStateV1 {}
export class AlertUpdatedV1 extends AlertStateV1 {}
export class AlertClosedV1 extends AlertStateV1 {}
export class AlertCancelledV1 extends AlertStateV1 {}
export class AlertEscalatedV1 extends AlertStateV1 {}
