import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { IsResidentId } from '@app/bus';
import {
  APPLICANT_KINDS,
  ApplicantKind,
  DELIVERY_MODES,
  DeliveryMode,
  IsCreditCode,
  MATTER_CODE_PATTERN,
} from '@app/contracts';

export class ApplicantDto {
  @ApiProperty({ enum: APPLICANT_KINDS })
  @IsIn(APPLICANT_KINDS)
  kind!: ApplicantKind;

  @ApiProperty({ example: '370285199001011237', description: "The applicant's (or representative's) resident ID" })
  @IsResidentId()
  residentId!: string;

  @ApiProperty({ example: '张三' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ example: '13800000000' })
  @Matches(/^1[3-9]\d{9}$/, { message: 'mobile must be a mainland mobile number (11 digits)' })
  mobile!: string;

  @ApiPropertyOptional({ example: '91370682MA00000001', description: 'GB 32100 code, for an enterprise' })
  @ValidateIf((applicant: ApplicantDto) => applicant.kind === 'enterprise')
  @IsCreditCode()
  creditCode?: string;

  @ApiPropertyOptional({ example: '莱阳双莱食品有限公司' })
  @ValidateIf((applicant: ApplicantDto) => applicant.kind === 'enterprise')
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  enterpriseName?: string;
}

/**
 * The `application` field of the multipart request (JSON); each material is a file part named by its code
 * (`business-licence`), its format taken from the file name's extension.
 */
export class ApplicationFileDto {
  @ApiProperty({ example: 'ENT-FOOD-BIZ' })
  @Matches(MATTER_CODE_PATTERN)
  matterCode!: string;

  @ApiProperty({ type: ApplicantDto })
  @ValidateNested()
  @Type(() => ApplicantDto)
  applicant!: ApplicantDto;

  @ApiPropertyOptional({
    description: "The city where the property, insurance or residence is (rule 'declared-location')",
  })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{1,30}$/)
  declaredRegion?: string;

  @ApiProperty({ enum: DELIVERY_MODES })
  @IsIn(DELIVERY_MODES)
  delivery!: DeliveryMode;

  @ApiPropertyOptional()
  @ValidateIf((application: ApplicationFileDto) => application.delivery === 'post')
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  postalAddress?: string;
}
