import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsDateString,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { TEST_CODE_PATTERN } from './catalogue.v1';
import { IsPseudonym, IsRegionName } from '../health/health-fields';
import { REPORT_ID_PATTERN } from './report.v1';

export const LAB_RECOGNITION_DECIDED_V1 = 'cn.shuanglai.lab.recognition.decided.v1';

export const RECOGNITION_OUTCOMES = ['accepted', 'retested'] as const;
export type RecognitionOutcome = (typeof RECOGNITION_OUTCOMES)[number];

/** Why a doctor re-tested instead of reusing a result. */
export const RETEST_REASONS = [
  'NOT_REUSABLE',
  'ABNORMAL_RESULT',
  'CLINICAL_CHANGE',
  'QUALITY_DOUBT',
  'PATIENT_REQUEST',
  'OTHER',
] as const;
export type RetestReason = (typeof RETEST_REASONS)[number];

/** A catalogue version that decided whether an item was recognised. */
export class LabCatalogueVersionRefV1 {
  @IsRegionName()
  region!: string;

  @IsInt()
  @Min(1)
  version!: number;
}

/**
 * A doctor's decision on a result of another city, reported back to the issuing city (a directed event), so that
 * both cities count recognitions, re-tests and what they saved.
 */
export class LabRecognitionDecidedV1 {
  @IsUUID()
  decisionId!: string;

  @IsUUID()
  queryId!: string;

  @IsPseudonym()
  patient!: string;

  @Matches(REPORT_ID_PATTERN)
  reportId!: string;

  @IsInt()
  @Min(1)
  reportVersion!: number;

  @Matches(TEST_CODE_PATTERN)
  code!: string;

  @IsIn(RECOGNITION_OUTCOMES)
  outcome!: RecognitionOutcome;

  @ValidateIf((decision: LabRecognitionDecidedV1) => decision.outcome === 'retested')
  @IsIn(RETEST_REASONS)
  reasonCode?: RetestReason;

  /** The deciding hospital. */
  @IsString()
  @MaxLength(100)
  hospital!: string;

  @IsDateString({ strict: true })
  decidedAt!: string;

  /** The deciding city's price of the test at the time of the decision: saved when accepted. */
  @IsInt()
  @Min(0)
  priceFen!: number;

  @ValidateNested({ each: true })
  @Type(() => LabCatalogueVersionRefV1)
  @ArrayMaxSize(16)
  catalogueVersions!: LabCatalogueVersionRefV1[];
}
