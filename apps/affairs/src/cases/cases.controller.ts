import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { CasesQueriesService } from './cases-queries.service';
import { CasesService } from './cases.service';
import { CaseDecisionDto } from './dto/case-decision.dto';
import { CaseListQueryDto } from './dto/case-list-query.dto';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly queries: CasesQueriesService,
  ) {}

  @Get()
  @Roles('case-officer', 'operator')
  @ApiOperation({ summary: 'Cases this city handles (open ones by default), with their clocks' })
  list(@Query() query: CaseListQueryDto) {
    return this.queries.list(query.open !== 'false');
  }

  @Get(':id')
  @Roles('case-officer', 'operator')
  @ApiOperation({ summary: 'One case this city handles: applicant, status, clock, history and materials' })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.queries.get(id);
  }

  @Post(':id/decisions')
  @HttpCode(200)
  @Roles('case-officer')
  @ApiOperation({
    summary:
      'Decide the next step of a case (accepted, not-accepted, supplement-requested, under-review, approved, ' +
      'denied, result-issued, delivered); sent back to the filing city. 409 when the case cannot take it',
  })
  decide(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CaseDecisionDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.cases.decide(id, body, principal);
  }
}
