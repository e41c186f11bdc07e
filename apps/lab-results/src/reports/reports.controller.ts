import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { ReportCancelDto, ReportContentDto, ReportIssueDto } from './dto/report-issue.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@Roles('his')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post()
  @ApiOperation({ summary: 'Issue a lab report (sent to the peers the patient consented to share with)' })
  issue(@Body() body: ReportIssueDto, @CurrentPrincipal() principal: Principal) {
    return this.reports.issue(principal, body);
  }

  @Post(':reportId/amendments')
  @ApiOperation({ summary: 'Amend a report: a new version replaces its content (only the issuing hospital)' })
  amend(@Param('reportId') reportId: string, @Body() body: ReportContentDto, @CurrentPrincipal() principal: Principal) {
    return this.reports.amend(principal, reportId, body);
  }

  @Post(':reportId/cancellation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a report (only the issuing hospital); its results are no longer reusable' })
  cancel(@Param('reportId') reportId: string, @Body() body: ReportCancelDto, @CurrentPrincipal() principal: Principal) {
    return this.reports.cancel(principal, reportId, body);
  }
}
