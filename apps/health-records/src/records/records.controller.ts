import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { RecordAmendDto, RecordPublishDto, RecordRetractDto } from './dto/record-publish.dto';
import { RecordsQueriesService } from './records-queries.service';
import { RecordsService } from './records.service';

@ApiTags('records')
@ApiBearerAuth()
@Roles('his')
@Controller('records')
export class RecordsController {
  constructor(
    private readonly records: RecordsService,
    private readonly queries: RecordsQueriesService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Publish a health-archive summary or EMR document of a patient of this city' })
  publish(@CurrentPrincipal() principal: Principal, @Body() body: RecordPublishDto) {
    return this.records.publish(principal, body);
  }

  @Put(':documentId')
  @ApiOperation({ summary: 'Amend a document of the caller’s hospital: a new version' })
  amend(
    @CurrentPrincipal() principal: Principal,
    @Param('documentId', ParseUUIDPipe) documentId: string,
    @Body() body: RecordAmendDto,
  ) {
    return this.records.amend(principal, documentId, body);
  }

  @Post(':documentId/retract')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retract a document of the caller’s hospital (peers drop its content)' })
  retract(
    @CurrentPrincipal() principal: Principal,
    @Param('documentId', ParseUUIDPipe) documentId: string,
    @Body() body: RecordRetractDto,
  ) {
    return this.records.retract(principal, documentId, body);
  }

  @Get(':documentId')
  @ApiOperation({ summary: 'A document of the caller’s hospital, as published here' })
  get(@CurrentPrincipal() principal: Principal, @Param('documentId', ParseUUIDPipe) documentId: string) {
    return this.queries.get(principal, documentId);
  }
}
