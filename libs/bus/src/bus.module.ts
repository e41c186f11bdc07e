import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { kafkaProvider } from './kafka.provider';
import { KafkaHealthIndicator } from './kafka.health';
import { HeartbeatService } from './heartbeat.service';
import { HeartbeatController } from './heartbeat.controller';

@Module({
  imports: [TerminusModule],
  controllers: [HeartbeatController],
  providers: [kafkaProvider, KafkaHealthIndicator, HeartbeatService],
  exports: [kafkaProvider, KafkaHealthIndicator, HeartbeatService],
})
export class BusModule {}
