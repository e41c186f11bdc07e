import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsDateString,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsResidentId } from '@app/bus';
import { LAB_ID_PATTERN, REPORT_ID_PATTERN, TEST_CODE_PATTERN } from '@app/contracts';

export class ReportItemDto {
  @ApiProperty({ example: 'CBC' })
  @Matches(TEST_CODE_PATTERN, { message: 'code must be 1 to 32 upper-case letters, digits or ._-' })
  code!: string;

  @ApiProperty({ example: 'Complete blood count' })
  @IsString()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: 6.1, description: 'A numeric result (or resultText)' })
  @ValidateIf((item: ReportItemDto) => item.value !== undefined || item.resultText === undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'value must be a number (or give resultText)' })
  value?: number;

  @ApiPropertyOptional({ example: 'negative', description: 'A qualitative result or finding (or value)' })
  @ValidateIf((item: ReportItemDto) => item.resultText !== undefined || item.value === undefined)
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

/** A version of a report's content: what an issue and an amendment both carry. */
export class ReportContentDto {
  @ApiProperty({ example: 'LX-PEOPLES-LAB' })
  @Matches(LAB_ID_PATTERN, { message: 'labId must be 1 to 64 letters, digits or ._-' })
  labId!: string;

  @ApiProperty({ example: "Laixi People's Hospital clinical laboratory" })
  @IsString()
  @MaxLength(200)
  labName!: string;

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

  @ApiProperty({ type: [ReportItemDto] })
  @ValidateNested({ each: true })
  @Type(() => ReportItemDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  items!: ReportItemDto[];
}

export class ReportIssueDto extends ReportContentDto {
  @ApiProperty({ example: 'LX-2026-000123', description: "The LIS's report number, unique in this city" })
  @Matches(REPORT_ID_PATTERN, { message: 'reportId must be 1 to 64 letters, digits or ._-' })
  reportId!: string;

  @ApiProperty({ example: '370285196205237809', description: 'GB 11643 resident ID; stored and sent as a pseudonym' })
  @IsResidentId()
  residentId!: string;
}

export class ReportCancelDto {
  @ApiProperty({ example: 'specimen haemolysed' })
  @IsString()
  @MaxLength(500)
  reason!: string;
}
