import { Body, Controller, DefaultValuePipe, Get, HttpCode, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { PSEUDONYM_PATTERN } from '@app/contracts';
import { IsResidentId } from '@app/bus';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { AccessReportService } from './access-reports/access-report.service';
import { AuditAnchorService } from './anchors/audit-anchor.service';
import { AuditService } from './audit.service';
import { RetentionService } from './retention/retention.service';

export class AccessReportsQueryDto {
  @ApiProperty({ description: "The person's keyed pseudonym (p1.…)", pattern: PSEUDONYM_PATTERN.source })
  @Matches(PSEUDONYM_PATTERN, { message: 'subject must be a pseudonym (p1.…)' })
  subject!: string;
}

/** The same question by the person's resident ID, as the home city's HIS or bureau knows them: in a body, never a URL. */
export class AccessReportsByResidentDto {
  @ApiProperty({ example: '370285196205237809', description: 'GB 11643 resident identity number' })
  @IsResidentId()
  residentId!: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Roles('operator')
@Controller('audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly anchors: AuditAnchorService,
    private readonly accessReports: AccessReportService,
    private readonly retention: RetentionService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Access-log entries, newest first (optionally of one subject pseudonym)' })
  list(@Query('subject') subject?: string, @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit = 100) {
    return this.audit.list({ subject, limit: Math.min(Math.max(limit, 1), 1000) });
  }

  @Get('verify')
  @ApiOperation({
    summary:
      'Recompute the hash chain: valid, or the first entry that breaks it; and, per peer city, the chain against the anchors that city holds of it',
  })
  verify() {
    return this.anchors.verify();
  }

  @Get('anchors')
  @ApiOperation({ summary: "The furthest anchor of each peer city's audit chain that this city keeps" })
  anchorsHeld() {
    return this.anchors.heldForPeers();
  }

  @Get('access-reports')
  @Roles('operator', 'his', 'hr-bureau', 'police-unit')
  @ApiOperation({
    summary:
      "Who in the other cities read data about this person, when, for what purpose (as their cities reported): this city's operators, and the service's own users (HIS, HR bureau, police units)",
  })
  accessReportsOf(@CurrentPrincipal() principal: Principal, @Query() query: AccessReportsQueryDto) {
    return this.accessReports.ofSubject(query.subject, principal);
  }

  @Post('access-reports/query')
  @HttpCode(200)
  @Roles('operator', 'his', 'hr-bureau', 'police-unit')
  @ApiOperation({ summary: 'The same answer for a person named by resident ID (kept out of the URL)' })
  accessReportsOfResident(@CurrentPrincipal() principal: Principal, @Body() body: AccessReportsByResidentDto) {
    return this.accessReports.ofResident(body.residentId, principal);
  }

  @Get('retention')
  @ApiOperation({
    summary:
      "Each personal-data table's retention (period, variable) and the last run of the job that deletes expired rows",
  })
  retentionStatus() {
    return this.retention.status();
  }
}
