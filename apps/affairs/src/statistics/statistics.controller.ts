import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/http';
import { StatisticsQueryDto } from './dto/statistics-query.dto';
import { StatisticsQueriesService } from './statistics-queries.service';

@ApiTags('statistics')
@ApiBearerAuth()
@Roles('operator')
@Controller('statistics')
export class StatisticsController {
  constructor(private readonly statistics: StatisticsQueriesService) {}

  @Get()
  @ApiOperation({
    summary:
      'The supervising office’s figures of a month, per matter and city: filed here for another city; handled ' +
      'here for another city (received, accepted, decided, handling time in working days, overdue, ratings)',
  })
  month(@Query() query: StatisticsQueryDto) {
    return this.statistics.month(query.month);
  }
}
