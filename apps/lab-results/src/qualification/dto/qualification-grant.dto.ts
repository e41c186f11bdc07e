import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { EQA_RESULTS, EqaResult, LAB_ID_PATTERN } from '@app/contracts';

export class QualificationGrantDto {
  @ApiProperty({ example: 'LX-PEOPLES-LAB' })
  @Matches(LAB_ID_PATTERN, { message: 'labId must be 1 to 64 letters, digits or ._-' })
  labId!: string;

  @ApiProperty({ example: "Laixi People's Hospital clinical laboratory" })
  @IsString()
  @MaxLength(200)
  labName!: string;

  @ApiProperty({ example: 'CNAS ML0123' })
  @IsString()
  @MaxLength(100)
  accreditation!: string;

  @ApiProperty({ enum: EQA_RESULTS })
  @IsIn(EQA_RESULTS)
  eqaResult!: EqaResult;

  @ApiProperty()
  @IsDateString({ strict: true })
  validFrom!: string;

  @ApiProperty()
  @IsDateString({ strict: true })
  validUntil!: string;
}

export class QualificationSuspendDto {
  @ApiPropertyOptional({ description: 'Default: now' })
  @IsOptional()
  @IsDateString({ strict: true })
  suspendedFrom?: string;

  @ApiProperty()
  @IsString()
  @MaxLength(500)
  reason!: string;
}
