import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { PERIOD_MESSAGE, PERIOD_PATTERN } from '@app/contracts';

export class StatisticsQuery {
  @ApiProperty({ example: '2026-Q3' })
  @Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE })
  period!: string;
}
