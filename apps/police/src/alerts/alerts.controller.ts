import {
  Body,
  Controller,
  DefaultValuePipe,
  Get,
  Headers,
  HttpCode,
  MessageEvent,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Sse,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { CurrentPrincipal, DomainError, Principal, Roles } from '@app/http';
import { AlertFeedHub } from '../feed/alert-feed.hub';
import { UnitCodeGuard } from '../unit-code.guard';
import { AlertsQueriesService } from './alerts-queries.service';
import { AlertsService } from './alerts.service';
import { AlertEndDto, AlertRaiseDto, AlertUpdateDto } from './dto/alert-raise.dto';

/** Characters of events that may wait for a stream that is not read before it is dropped (it resumes by id). */
const SSE_MAX_PENDING = 256 * 1024;

@ApiTags('alerts')
@ApiBearerAuth()
@Roles('police-unit')
@UseGuards(UnitCodeGuard)
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly queries: AlertsQueriesService,
    private readonly hub: AlertFeedHub,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Raise an alert (key area, severity, location with boundary zone, expiry)' })
  raise(@CurrentPrincipal() principal: Principal, @Body() body: AlertRaiseDto) {
    return this.alerts.raise(principal, body);
  }

  @Sse('stream', { maxPendingDataLength: SSE_MAX_PENDING })
  @ApiOperation({
    summary: "Live stream (Server-Sent Events) of the alerts of every region that match the caller's unit",
    description:
      'Each event is `alert.<kind>` with the feed position as its id. Reconnect with Last-Event-ID to receive ' +
      'every matching event after it, in order, once. A client that does not read is disconnected.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false })
  stream(
    @CurrentPrincipal() principal: Principal,
    @Headers('last-event-id') lastEventId?: string,
  ): Observable<MessageEvent> {
    return this.hub.open(principal, parseLastEventId(lastEventId));
  }

  @Get()
  @ApiOperation({ summary: 'Poll: the same events as the stream, after a feed position; pass `next` back as `after`' })
  poll(
    @CurrentPrincipal() principal: Principal,
    @Query('after', new DefaultValuePipe(0), ParseIntPipe) after: number,
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number,
  ) {
    return this.queries.poll(
      principal,
      Math.min(Math.max(after, 0), Number.MAX_SAFE_INTEGER),
      Math.min(Math.max(limit, 1), 1000),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'One alert, who received it and what each unit answered' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.queries.get(principal, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change an alert (the raising unit only)' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AlertUpdateDto,
  ) {
    return this.alerts.update(principal, id, body);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close an alert (the raising unit only)' })
  close(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AlertEndDto) {
    return this.alerts.end(principal, id, 'CLOSED', body);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an alert (the raising unit only)' })
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AlertEndDto) {
    return this.alerts.end(principal, id, 'CANCELLED', body);
  }
}

function parseLastEventId(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) {
    throw new DomainError('POLICE.BAD_LAST_EVENT_ID', 'invalid', 'Last-Event-ID must be a feed position (digits)');
  }
  return Number(value);
}
