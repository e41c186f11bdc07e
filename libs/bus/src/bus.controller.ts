import {
  Body,
  Controller,
  DefaultValuePipe,
  Get,
  HttpCode,
  Param,
  ParseBoolPipe,
  ParseIntPipe,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PROBE_V1, ProbeV1 } from '@app/contracts';
import { Roles } from '@app/http';
import { BusBatchContext } from './bus.context';
import { DeadLetterService } from './dead-letter/dead-letter.service';
import { StreamStatusService } from './inbox/stream-status.service';
import { OutboxMonitor } from './outbox/outbox.monitor';
import { ProbeService } from './probe/probe.service';
import { OnEventBatch } from './on-event.decorator';
import { ReplayService } from './replay.service';

export class SendProbesDto {
  @ApiProperty({ minimum: 1, maximum: 10_000, default: 1 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  count: number = 1;

  @ApiPropertyOptional({ default: 'operator', description: 'Probes of one stream are numbered 1, 2, 3, …' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/)
  stream: string = 'operator';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  note?: string;

  @ApiPropertyOptional({
    description: 'Send to this region only, on its directed topic (checks the directed path); else to every peer',
  })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{1,30}$/)
  target?: string;
}

/** What a node's operators use to see that the cities are in sync, and to repair it when they are not. */
@ApiTags('bus')
@ApiBearerAuth()
@Roles('operator')
@Controller('bus')
export class BusController {
  constructor(
    private readonly streams: StreamStatusService,
    private readonly deadLetters: DeadLetterService,
    private readonly replay: ReplayService,
    private readonly probes: ProbeService,
    private readonly outboxMonitor: OutboxMonitor,
  ) {}

  @Get('streams')
  @ApiOperation({ summary: 'Completeness per origin and topic: highest contiguous sequence number and gaps' })
  listStreams() {
    return this.streams.streams();
  }

  @Get('outbox')
  @ApiOperation({
    summary:
      "This node's outbox: events not yet sent, the oldest of them, the relay's last error, and per topic the last sequence number given",
  })
  outbox() {
    return this.outboxMonitor.status();
  }

  @Get('dead-letters')
  @ApiOperation({ summary: 'Dead letters, newest first (only the unresolved ones unless all=true)' })
  listDeadLetters(
    @Query('all', new DefaultValuePipe(false), ParseBoolPipe) all: boolean,
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number,
  ) {
    return this.deadLetters.list({ unresolvedOnly: !all, limit: Math.min(Math.max(limit, 1), 1000) });
  }

  @Post('dead-letters/:id/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify and apply a dead letter again' })
  replayDeadLetter(@Param('id', ParseIntPipe) id: number) {
    return this.replay.replayDeadLetter(String(id));
  }

  @Post('replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuild the projections of this service from the start of the peer topics' })
  @ApiConflictResponse({
    description: 'BUS.REPLAY_INCOMPLETE: the topics no longer hold every event the projections were built from',
  })
  rebuild() {
    return this.replay.rebuild();
  }

  @Post('probes')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send delivery probes to the peers through the outbox' })
  async sendProbes(@Body() body: SendProbesDto) {
    return { probeEventIds: await this.probes.send(body.count, body.stream, body.note, body.target) };
  }

  @Get('probes')
  @ApiOperation({ summary: 'Probes received from the peers, newest first, with latency and order' })
  receivedProbes(
    @Query('origin') origin?: string,
    @Query('stream') stream?: string,
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit = 100,
  ) {
    return this.probes.received({ origin, stream, limit: Math.min(Math.max(limit, 1), 10_000) });
  }

  /** Applied in batches: a projection that receives many small events writes them in one statement. */
  @OnEventBatch(PROBE_V1)
  async recordProbes(probes: ProbeV1[], context: BusBatchContext): Promise<void> {
    await this.probes.record(
      context.manager,
      probes.map((probe, i) => ({ probe, origin: context.events[i].origin, sentAt: context.events[i].event.time! })),
    );
  }
}
