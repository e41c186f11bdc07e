import { Body, Controller, DefaultValuePipe, Get, ParseBoolPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError, Roles } from '@app/http';
import { UnitCodeGuard } from '../unit-code.guard';
import { RosterPublishDto } from './dto/roster-publish.dto';
import { RosterQueriesService } from './roster-queries.service';
import { RosterService } from './roster.service';

@ApiTags('duty roster')
@ApiBearerAuth()
@Roles('police-unit')
@UseGuards(UnitCodeGuard)
@Controller('duty-roster')
export class RosterController {
  constructor(
    private readonly roster: RosterService,
    private readonly queries: RosterQueriesService,
  ) {}

  @Post()
  @ApiOperation({ summary: "Publish shifts of this region's units on joint duty, by boundary zone" })
  publish(@Body() body: RosterPublishDto) {
    return this.roster.publish(body);
  }

  @Get()
  @ApiOperation({ summary: 'Shifts of both regions on duty at a time (default now), or also upcoming ones' })
  @ApiQuery({ name: 'at', required: false })
  @ApiQuery({ name: 'region', required: false })
  list(
    @Query('upcoming', new DefaultValuePipe(false), ParseBoolPipe) upcoming: boolean,
    @Query('at') at?: string,
    @Query('region') region?: string,
  ) {
    const when = at === undefined ? undefined : new Date(at);
    if (when && isNaN(when.getTime())) {
      throw new DomainError('POLICE.BAD_TIME', 'invalid', `at must be an ISO 8601 time; got '${at}'`);
    }
    return this.queries.list({ at: when, region, upcoming });
  }
}
