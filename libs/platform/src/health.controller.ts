import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { HeartbeatService, KafkaHealthIndicator } from '@app/bus';
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
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: 200 when the database and Kafka answer, 503 otherwise' })
  readiness() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 3000 }),
      () => this.kafka.check('kafka'),
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
