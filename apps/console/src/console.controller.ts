import { Controller, Get, HttpCode, MessageEvent, Param, Post, Query, Sse } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { Observable, map, merge, takeUntil } from 'rxjs';
import { PSEUDONYM_PATTERN } from '@app/contracts';
import { Public } from '@app/http';
import { AccessReportsService } from './access-reports/access-reports.service';
import { FeedService } from './feed/feed.service';
import { FleetService } from './fleet/fleet.service';
import { OpenCasesService } from './open-cases/open-cases.service';
import { CurrentSession } from './session/session.guard';
import { ConsoleSession, ConsoleSessionStore } from './session/session.store';

export class AccessReportsQueryDto {
  @ApiProperty({ description: "The person's keyed pseudonym (p1.…)", pattern: PSEUDONYM_PATTERN.source })
  @Matches(PSEUDONYM_PATTERN, { message: 'subject must be a pseudonym (p1.…)' })
  subject!: string;
}

@ApiTags('console')
@Controller('api')
export class ConsoleController {
  constructor(
    private readonly fleet: FleetService,
    private readonly feed: FeedService,
    private readonly sessions: ConsoleSessionStore,
    private readonly accessReports: AccessReportsService,
    private readonly openCases: OpenCasesService,
  ) {}

  @Get('state')
  @ApiOperation({ summary: 'The latest picture of every region and service, and the recent events crossing the line' })
  async state() {
    return { snapshot: await this.fleet.snapshot(), feed: { enabled: this.feed.enabled, items: this.feed.latest() } };
  }

  @Sse('stream')
  @ApiOperation({
    summary: 'Server-sent events: `snapshot` after every poll, `feed` for every event crossing the line',
  })
  stream(@CurrentSession() session: ConsoleSession): Observable<MessageEvent> {
    return merge(
      this.fleet.changes.pipe(map((snapshot) => ({ type: 'snapshot', data: snapshot }))),
      this.feed.changes.pipe(map((item) => ({ type: 'feed', data: item }))),
    ).pipe(takeUntil(this.sessions.endOf(session)));
  }

  @Get('access-reports')
  @ApiOperation({
    summary:
      "Who in the other cities read data about this person, when, for what purpose: each service of the console's city",
  })
  accessReportsOf(@Query() query: AccessReportsQueryDto) {
    return this.accessReports.ofSubject(query.subject);
  }

  @Get('open-cases')
  @ApiOperation({ summary: "The cases the console's city handles and has not closed, with their working-day clocks" })
  openCasesOfCity() {
    return this.openCases.list();
  }

  @Post('nodes/:region/:service/dead-letters/:id/replay')
  @HttpCode(200)
  @ApiOperation({ summary: "Replay a dead letter on the service that holds it; answers that service's verdict" })
  replay(@Param('region') region: string, @Param('service') service: string, @Param('id') id: string) {
    return this.fleet.replayDeadLetter(region, service, id);
  }
}

/** The same readiness path as the services', so that launchers and container health checks treat it alike. */
@ApiTags('operations')
@Public()
@Controller('health')
export class ConsoleHealthController {
  @Get()
  @ApiOperation({ summary: 'Liveness of the console itself (the services it watches have their own /health)' })
  health() {
    return { status: 'ok' };
  }
}
