import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export const AFFAIRS_CASE_STATUS_CHANGED_V1 = 'cn.shuanglai.affairs.case.status-changed.v1';
export const AFFAIRS_CASE_CLOCK_ALERTED_V1 = 'cn.shuanglai.affairs.case.clock-alerted.v1';

/** Every state of an application, from filing at the window to delivery of the result. */
export const CASE_STATUSES = [
  'submitted',
  'received',
  'accepted',
  'not-accepted',
  'supplement-requested',
  'supplement-provided',
  'under-review',
  'approved',
  'denied',
  'result-issued',
  'delivered',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * A transition decided in the handling city, sent back to the filing city (directed) so that its window and portal
 * see it at once. Each carries the case's version: the filing city keeps the highest, whatever the order of arrival.
 */
export class CaseStatusChangedV1 {
  @IsUUID()
  applicationId!: string;

  @ApiProperty({ enum: CASE_STATUSES })
  @IsIn(CASE_STATUSES)
  status!: CaseStatus;

  @IsInt()
  @Min(1)
  @Max(10_000)
  version!: number;

  @IsDateString({ strict: true })
  at!: string;

  @ApiPropertyOptional({ description: 'Why not accepted or denied' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @ApiPropertyOptional({ description: 'The legal basis of a denial' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  legalBasis?: string;

  @ApiPropertyOptional({ description: 'What the applicant must supplement (补正)' })
  @IsOptional()
  @ArrayMaxSize(40)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  supplement?: string[];

  @ApiPropertyOptional({ description: 'The last working day of the time limit (YYYY-MM-DD), while it runs' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  deadline?: string;

  @ApiPropertyOptional({ description: 'How the result reaches the applicant, once delivered' })
  @IsOptional()
  @IsIn(['window', 'post'])
  deliveredBy?: 'window' | 'post';
}

/** The handling city's clock of a case reached 80 % of its time limit (warning) or passed it (overdue). */
export class CaseClockAlertedV1 {
  @IsUUID()
  applicationId!: string;

  @IsIn(['warning', 'overdue'])
  kind!: 'warning' | 'overdue';

  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  deadline!: string;

  @IsDateString({ strict: true })
  at!: string;
}

export const AFFAIRS_CASE_RATED_V1 = 'cn.shuanglai.affairs.case.rated.v1';

/** The applicant's rating of a delivered case (好差评), given at the filing city and sent to the handling city. */
export class CaseRatedV1 {
  @IsUUID()
  applicationId!: string;

  @IsInt()
  @Min(1)
  @Max(5)
  score!: number;

  /** Why, for a low rating (1 or 2). */
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  reasons!: string[];

  @IsDateString({ strict: true })
  at!: string;
}
