import { Controller, DefaultValuePipe, Get, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/http';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Roles('operator')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Access-log entries, newest first (optionally of one subject pseudonym)' })
  list(@Query('subject') subject?: string, @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit = 100) {
    return this.audit.list({ subject, limit: Math.min(Math.max(limit, 1), 1000) });
  }

  @Get('verify')
  @ApiOperation({ summary: 'Recompute the hash chain: valid, or the first entry that breaks it' })
  verify() {
    return this.audit.verify();
  }
}
