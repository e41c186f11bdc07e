import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class CertificationStatisticsQuery {
  @ApiPropertyOptional({ example: '2026-01', description: 'First month (YYYY-MM); default January of this year' })
  @IsOptional()
  @Matches(MONTH, { message: 'from must be a month written YYYY-MM' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-10', description: 'Last month (YYYY-MM), included; default this month' })
  @IsOptional()
  @Matches(MONTH, { message: 'to must be a month written YYYY-MM' })
  to?: string;
}
