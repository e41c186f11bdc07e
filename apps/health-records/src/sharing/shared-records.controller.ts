import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { PurposeDto, SharedRecordsQueryDto } from './dto/shared-read.dto';
import { SharedRecordsQueriesService } from './shared-records-queries.service';

@ApiTags('shared records')
@ApiBearerAuth()
@Roles('his')
@Controller()
export class SharedRecordsController {
  constructor(private readonly shared: SharedRecordsQueriesService) {}

  @Post('shared-records/query')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Another city’s patient’s documents held here under consent (audited; reported to the home city)',
  })
  query(@CurrentPrincipal() principal: Principal, @Body() body: SharedRecordsQueryDto) {
    return this.shared.list(principal, body.residentId, body.purpose);
  }

  @Get('shared-records/:documentId')
  @ApiOperation({ summary: 'One of another city’s documents held here under consent (audited)' })
  read(
    @CurrentPrincipal() principal: Principal,
    @Param('documentId', ParseUUIDPipe) documentId: string,
    @Query() query: PurposeDto,
  ) {
    return this.shared.read(principal, documentId, query.purpose);
  }
}
