import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsResidentId } from '@app/bus';
import { DATE_PATTERN } from '@app/contracts';

const DATE_MESSAGE = 'must be a date written YYYY-MM-DD';

export class CertifyDto {
  @ApiProperty({ example: '370285196205237809', description: '18-character resident ID; never stored in clear' })
  @IsResidentId()
  residentId!: string;

  @ApiProperty({ example: 'A', description: 'A tier code of the programme (GET /talent/catalogue)' })
  @IsString()
  @MaxLength(40)
  tier!: string;

  @ApiProperty({ example: 'integrated circuits' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  field!: string;

  @ApiProperty({ example: 'Laixi Human Resources and Social Security Bureau' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  issuingBureau!: string;

  @ApiProperty({ example: '2026-01-01' })
  @Matches(DATE_PATTERN, { message: `validFrom ${DATE_MESSAGE}` })
  validFrom!: string;

  @ApiProperty({ example: '2028-12-31' })
  @Matches(DATE_PATTERN, { message: `validUntil ${DATE_MESSAGE}` })
  validUntil!: string;
}

export class RenewDto {
  @ApiProperty({
    example: '2030-12-31',
    description: 'The new end of validity; a suspended certification is active again',
  })
  @Matches(DATE_PATTERN, { message: `validUntil ${DATE_MESSAGE}` })
  validUntil!: string;
}

export class ChangeReasonDto {
  @ApiPropertyOptional({ example: 'left the programme' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
