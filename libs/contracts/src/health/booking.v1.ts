import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsPseudonym } from './health-fields';

export const HEALTH_SLOT_PUBLISHED_V1 = 'cn.shuanglai.health.slot.published.v1';
export const HEALTH_SLOT_WITHDRAWN_V1 = 'cn.shuanglai.health.slot.withdrawn.v1';
export const HEALTH_BOOKING_REQUESTED_V1 = 'cn.shuanglai.health.booking.requested.v1';
export const HEALTH_BOOKING_ANSWERED_V1 = 'cn.shuanglai.health.booking.answered.v1';
export const HEALTH_BOOKING_CANCELLED_V1 = 'cn.shuanglai.health.booking.cancelled.v1';

export const BOOKING_REJECTIONS = ['slot-full', 'slot-gone'] as const;
export type BookingRejection = (typeof BOOKING_REJECTIONS)[number];

/** A bookable appointment slot of a hospital in the publishing city; broadcast (it names no patient). */
export class SlotPublishedV1 {
  @ApiProperty()
  @IsUUID()
  slotId!: string;

  @ApiProperty({ example: 'Laiyang Central Hospital' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  hospital!: string;

  @ApiProperty({ example: 'cardiology' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  department!: string;

  @ApiProperty({ example: 'Dr. Zhang Wei' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  doctor!: string;

  @ApiProperty({ example: '2026-12-01T09:00:00+08:00' })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty({ minimum: 1, maximum: 1000 })
  @IsInt()
  @Min(1)
  @Max(1000)
  capacity!: number;
}

export class SlotWithdrawnV1 {
  @IsUUID()
  slotId!: string;
}

/** A HIS of another city asks the slot's city for a place (directed to the slot's city). */
export class BookingRequestedV1 {
  @ApiProperty()
  @IsUUID()
  bookingId!: string;

  @ApiProperty()
  @IsUUID()
  slotId!: string;

  @IsPseudonym()
  patient!: string;

  @IsISO8601({ strict: true })
  requestedAt!: string;
}

/** The slot's city confirms or rejects (directed back to the requesting city). */
export class BookingAnsweredV1 {
  @IsUUID()
  bookingId!: string;

  @IsUUID()
  slotId!: string;

  @IsIn(['confirmed', 'rejected'])
  outcome!: 'confirmed' | 'rejected';

  @IsOptional()
  @IsIn(BOOKING_REJECTIONS)
  reason?: BookingRejection;

  @IsISO8601({ strict: true })
  answeredAt!: string;
}

/** The requesting city gives the place back: cancelled by its HIS, or expired unanswered (directed to the slot's city). */
export class BookingCancelledV1 {
  @IsUUID()
  bookingId!: string;

  @IsUUID()
  slotId!: string;

  @IsIn(['cancelled', 'expired'])
  reason!: 'cancelled' | 'expired';

  @IsISO8601({ strict: true })
  cancelledAt!: string;
}
