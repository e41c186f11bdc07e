import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
  @ApiProperty({ example: 'CBC' })
  @Matches(TEST_CODE_PATTERN, { message: 'code must be 1 to 32 upper-case letters, digits or ._-' })
  code!: string;

  @ApiProperty({ example: 'Complete blood count' })
  @IsString()
  @MaxLength(200)
  name!: string;

  /** A numeric result; `resultText` carries the others (qualitative results, imaging findings). */
  @ApiPropertyOptional({ example: 6.1, description: 'A numeric result (or resultText)' })
  @ValidateIf((item: LabReportItemV1) => item.value !== undefined || item.resultText === undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'value must be a number (or give resultText)' })
  value?: number;

  @ApiPropertyOptional({ example: 'negative', description: 'A qualitative result or finding (or value)' })
  @ValidateIf((item: LabReportItemV1) => item.resultText !== undefined || item.value === undefined)
  @IsString({ message: 'resultText must be a string (or give value)' })
  @MaxLength(4000)
  resultText?: string;

  @ApiPropertyOptional({
    example: '10^9/L',
    description: 'Required with a value when the catalogue gives the item a unit',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  unit?: string;

  @ApiPropertyOptional({ example: '3.5-9.5' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  referenceRange?: string;

  @ApiProperty()
  @IsBoolean()
  abnormal!: boolean;
}

/**
 * One version of a lab report as its issuing city holds it: version 1 is issued (`final`), later versions are
 * amendments (`amended`) that replace the items. The latest version is the one that counts.
 */
export class LabReportV1 {
  @ApiProperty({ example: 'LX-2026-000123', description: "The LIS's report number, unique in this city" })
  @Matches(REPORT_ID_PATTERN, { message: 'reportId must be 1 to 64 letters, digits or ._-' })
  reportId!: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiProperty({ description: "The patient's pseudonym" })
  @IsPseudonym()
  patient!: string;

  @ApiProperty({ example: 'LX-PEOPLES-LAB' })
  @Matches(LAB_ID_PATTERN, { message: 'labId must be 1 to 64 letters, digits or ._-' })
  labId!: string;

  @ApiProperty({ example: "Laixi People's Hospital clinical laboratory" })
  @IsString()
  @MaxLength(200)
  labName!: string;

  @ApiProperty({ example: 'lx-peoples', description: 'The issuing hospital (its organisation code)' })
  @IsString()
  @MaxLength(100)
  hospital!: string;

  @ApiProperty({ example: 'venous blood' })
  @IsString()
  @MaxLength(100)
  specimen!: string;

  @ApiProperty()
  @IsDateString({ strict: true })
  collectedAt!: string;

  @ApiProperty()
  @IsDateString({ strict: true })
  reportedAt!: string;

  @ApiProperty({ enum: ['final', 'amended'] })
  @IsIn(['final', 'amended'])
  status!: Exclude<LabReportStatus, 'cancelled'>;

  @ApiProperty({ type: () => [LabReportItemV1] })
  @ValidateNested({ each: true })
  @Type(() => LabReportItemV1)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  items!: LabReportItemV1[];
}

export class LabReportCancelledV1 {
  @ApiProperty({ example: 'LX-2026-000123' })
  @Matches(REPORT_ID_PATTERN, { message: 'reportId must be 1 to 64 letters, digits or ._-' })
  reportId!: string;

  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(2)
  version!: number;

  @ApiProperty({ description: "The patient's pseudonym" })
  @IsPseudonym()
  patient!: string;

  @ApiProperty()
  @IsDateString({ strict: true })
  cancelledAt!: string;

  @ApiProperty({ example: 'specimen haemolysed' })
  @IsString()
  @MaxLength(500)
  reason!: string;
}
