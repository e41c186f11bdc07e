import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsPseudonym } from '../health/health-fields';
import { TEST_CODE_PATTERN } from './catalogue.v1';
import { LAB_ID_PATTERN } from './qualification.v1';

export const LAB_REPORT_ISSUED_V1 = 'cn.shuanglai.lab.report.issued.v1';
export const LAB_REPORT_AMENDED_V1 = 'cn.shuanglai.lab.report.amended.v1';
export const LAB_REPORT_CANCELLED_V1 = 'cn.shuanglai.lab.report.cancelled.v1';

export const REPORT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const LAB_REPORT_STATUSES = ['final', 'amended', 'cancelled'] as const;
export type LabReportStatus = (typeof LAB_REPORT_STATUSES)[number];

export class LabReportItemV1 {
  @Matches(TEST_CODE_PATTERN)
  code!: string;

  @IsString()
  @MaxLength(200)
  name!: string;

  /** A numeric result; `resultText` carries the others (qualitative results, imaging findings). */
  @ValidateIf((item: LabReportItemV1) => item.value !== undefined || item.resultText === undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value?: number;

  @ValidateIf((item: LabReportItemV1) => item.resultText !== undefined || item.value === undefined)
  @IsString()
  @MaxLength(4000)
  resultText?: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  unit?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  referenceRange?: string;

  @IsBoolean()
  abnormal!: boolean;
}

/**
 * One version of a lab report as its issuing city holds it: version 1 is issued (`final`), later versions are
 * amendments (`amended`) that replace the items. The latest version is the one that counts.
 */
export class LabReportV1 {
  @Matches(REPORT_ID_PATTERN)
  reportId!: string;

  @IsInt()
  @Min(1)
  version!: number;

  @IsPseudonym()
  patient!: string;

  @Matches(LAB_ID_PATTERN)
  labId!: string;

  @IsString()
  @MaxLength(200)
  labName!: string;

  /** The issuing hospital (its organisation code). */
  @IsString()
  @MaxLength(100)
  hospital!: string;

  @IsString()
  @MaxLength(100)
  specimen!: string;

  @IsDateString({ strict: true })
  collectedAt!: string;

  @IsDateString({ strict: true })
  reportedAt!: string;

  @IsIn(['final', 'amended'])
  status!: Exclude<LabReportStatus, 'cancelled'>;

  @ValidateNested({ each: true })
  @Type(() => LabReportItemV1)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  items!: LabReportItemV1[];
}

export class LabReportCancelledV1 {
  @Matches(REPORT_ID_PATTERN)
  reportId!: string;

  @IsInt()
  @Min(2)
  version!: number;

  @IsPseudonym()
  patient!: string;

  @IsDateString({ strict: true })
  cancelledAt!: string;

  @IsString()
  @MaxLength(500)
  reason!: string;
}
