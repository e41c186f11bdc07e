import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '@app/http';
import { StatisticsQuery } from './dto/statistics-query.dto';
import { StatisticsQueriesService, StatisticsRow } from './statistics-queries.service';

@ApiTags('statistics')
@ApiBearerAuth()
@Roles('finance-bureau', 'operator', 'auditor')
@Controller('ledger/statistics')
export class StatisticsController {
  constructor(private readonly statistics: StatisticsQueriesService) {}

  @Get()
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'Per city, project and indicator: counted in place beside the amounts due, with the year before',
  })
  async figures(
    @Query() query: StatisticsQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StatisticsRow[] | string> {
    if (accept?.includes('text/csv')) {
      response.type('text/csv; charset=utf-8');
      response.attachment(`ledger-${query.period}.csv`);
      return this.statistics.csv(query.period);
    }
    return this.statistics.figures(query.period);
  }
}
