import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class StatisticsQueryDto {
  @ApiProperty({ example: '2026-11', description: 'A month of China’s calendar (YYYY-MM)' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  month!: string;
}
