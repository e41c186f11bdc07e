import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsResidentId } from '@app/bus';

export class StatusQueryDto {
  @ApiProperty({ example: '370285196205237809', description: 'Sent in the body, so it stays out of URLs and logs' })
  @IsResidentId()
  residentId!: string;

  @ApiPropertyOptional({
    example: 'housing subsidy application 2026-118',
    description: 'Why the bureau asks; required for the full answer (role hr-bureau), written to the audit trail',
  })
  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  purpose?: string;
}
