import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/http';
import { CertificationStatisticsQuery } from './dto/certification-statistics-query.dto';
import { StatisticsQueriesService } from './statistics-queries.service';

@ApiTags('statistics')
@ApiBearerAuth()
@Roles('hr-bureau', 'operator')
@Controller('talent/statistics')
export class StatisticsController {
  constructor(private readonly statistics: StatisticsQueriesService) {}

  @Get('certifications')
  @ApiOperation({
    summary: 'Certified talent by month, city and tier, with year-on-year growth; and the total of the range',
  })
  certifications(@Query() query: CertificationStatisticsQuery) {
    return this.statistics.certifications(query);
  }

  @Get('benefits')
  @ApiOperation({ summary: 'Benefits granted, by the city that pays them and benefit' })
  benefits() {
    return this.statistics.benefitsGranted();
  }
}
