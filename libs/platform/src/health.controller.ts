import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { HeartbeatService, KafkaHealthIndicator, OutboxMonitor } from '@app/bus';
import { AppConfig } from '@app/config';
import { Public } from '@app/http';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly heartbeats: HeartbeatService,
    private readonly outbox: OutboxMonitor,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary:
      'Readiness: 200 when the database and Kafka answer and the outbox drains, 503 (with the same details) otherwise',
  })
  async readiness(@Res({ passthrough: true }) response: Response) {
    try {
      return await this.check();
    } catch (error) {
      // Keep Terminus' report on 503 too: operators and probes need to see which dependency is down.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse();
    }
  }

  private check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 3000 }),
      () => this.kafka.check('kafka'),
      () => this.outbox.check('outbox'),
      () => ({ node: { status: 'up', region: this.config.region, service: this.config.service } }),
      () => ({ peers: { status: 'up', heartbeats: this.heartbeats.peerStatus() } }),
    ]);
  }

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: 200 while the process serves HTTP' })
  liveness() {
    return { status: 'ok' };
  }
}
