import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches, ValidateIf } from 'class-validator';
import {
  RECOGNITION_OUTCOMES,
  RETEST_REASONS,
  RecognitionOutcome,
  RetestReason,
  TEST_CODE_PATTERN,
} from '@app/contracts';

export class DecisionDto {
  @ApiProperty({ example: 'CBC', description: 'A code the query asked about' })
  @Matches(TEST_CODE_PATTERN, { message: 'code must be 1 to 32 upper-case letters, digits or ._-' })
  code!: string;

  @ApiProperty({ enum: RECOGNITION_OUTCOMES })
  @IsIn(RECOGNITION_OUTCOMES)
  outcome!: RecognitionOutcome;

  @ApiPropertyOptional({ enum: RETEST_REASONS, description: 'Required when the outcome is retested' })
  @ValidateIf((decision: DecisionDto) => decision.outcome === 'retested' || decision.reasonCode !== undefined)
  @IsIn(RETEST_REASONS, { message: `reasonCode must be one of ${RETEST_REASONS.join(', ')} when re-testing` })
  reasonCode?: RetestReason;
}

export class StatisticsQueryDto {
  @ApiProperty({ example: '2026-11', description: 'A calendar month in China time' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  month!: string;
}
