import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { DecisionDto, StatisticsQueryDto } from './dto/decision.dto';
import { RecognitionQueriesService } from './recognition-queries.service';
import { RecognitionService } from './recognition.service';

@ApiTags('recognition')
@ApiBearerAuth()
@Controller()
export class RecognitionController {
  constructor(
    private readonly recognition: RecognitionService,
    private readonly queries: RecognitionQueriesService,
  ) {}

  @Post('reuse-queries/:queryId/decisions')
  @Roles('his')
  @ApiOperation({ summary: 'Record accepted or re-tested for a result the query showed; reported to the issuing city' })
  decide(
    @Param('queryId', ParseUUIDPipe) queryId: string,
    @Body() body: DecisionDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.recognition.decide(principal, queryId, body);
  }

  @Get('statistics')
  @Roles('operator', 'his')
  @ApiOperation({
    summary: 'Recognitions, re-tests with reasons, tests saved and their cost, by partner city, for a month',
  })
  statistics(@Query() query: StatisticsQueryDto) {
    return this.queries.statistics(query.month);
  }
}
