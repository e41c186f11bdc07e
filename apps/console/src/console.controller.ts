import { Controller, Get, HttpCode, MessageEvent, Param, Post, Sse } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Observable, map, merge, takeUntil } from 'rxjs';
import { Public } from '@app/http';
import { FeedService } from './feed/feed.service';
import { FleetService } from './fleet/fleet.service';
import { CurrentSession } from './session/session.guard';
import { ConsoleSession, ConsoleSessionStore } from './session/session.store';

@ApiTags('console')
@Controller('api')
export class ConsoleController {
  constructor(
    private readonly fleet: FleetService,
    private readonly feed: FeedService,
    private readonly sessions: ConsoleSessionStore,
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
