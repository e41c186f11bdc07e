import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { OFFICER_STATUSES, OfficerStatus } from '../case-lifecycle';

/** A case officer's decision: the state the case goes to, and what that state needs. */
export class CaseDecisionDto {
  @ApiProperty({ enum: OFFICER_STATUSES })
  @IsIn(OFFICER_STATUSES)
  status!: OfficerStatus;

  @ApiPropertyOptional({ description: 'Why not accepted or denied (required then)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason?: string;

  @ApiPropertyOptional({ description: 'Legal basis of a denial (required then)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  legalBasis?: string;

  @ApiPropertyOptional({ description: 'What the applicant must supplement (required with supplement-requested)' })
  @IsOptional()
  @ArrayMaxSize(40)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(300, { each: true })
  supplement?: string[];

  @ApiPropertyOptional({ enum: ['window', 'post'], description: 'How the result reached the applicant (delivered)' })
  @IsOptional()
  @IsIn(['window', 'post'])
  deliveredBy?: 'window' | 'post';
}
