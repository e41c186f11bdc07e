import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig } from '@app/config';
import { BusController } from './bus.controller';
import { BusMetrics } from './bus.metrics';
import { DeadLetterService } from './dead-letter/dead-letter.service';
import { HeartbeatController } from './heartbeat.controller';
import { HeartbeatService } from './heartbeat.service';
import { BusConsumer } from './inbox/bus-consumer.service';
import { InboxCleanup } from './inbox/inbox-cleanup.service';
import { InboxService } from './inbox/inbox.service';
import { StreamStatusService } from './inbox/stream-status.service';
import { KafkaHealthIndicator } from './kafka.health';
import { kafkaProvider } from './kafka.provider';
import { BusPublisher } from './outbox/bus-publisher.service';
import { OutboxRelay } from './outbox/outbox-relay.service';
import { OutboxMonitor } from './outbox/outbox.monitor';
import { ProbeService } from './probe/probe.service';
import { RegionTopicsProvisioner } from './region-topics.provisioner';
import { ReplayService } from './replay.service';
import { Pseudonymizer } from './trust';

/** One pseudonymizer per service, keyed with the secret the regions share (PSEUDONYM_SECRET). */
const pseudonymizerProvider = {
  provide: Pseudonymizer,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => new Pseudonymizer(config.pseudonymSecret),
};

@Module({
  imports: [TerminusModule],
  controllers: [HeartbeatController, BusController],
  providers: [
    kafkaProvider,
    pseudonymizerProvider,
    BusMetrics,
    RegionTopicsProvisioner,
    BusPublisher,
    OutboxRelay,
    OutboxMonitor,
    InboxService,
    InboxCleanup,
    BusConsumer,
    DeadLetterService,
    StreamStatusService,
    ReplayService,
    ProbeService,
    HeartbeatService,
    KafkaHealthIndicator,
  ],
  exports: [
    kafkaProvider,
    Pseudonymizer,
    BusPublisher,
    OutboxRelay,
    OutboxMonitor,
    BusConsumer,
    InboxCleanup,
    ReplayService,
    HeartbeatService,
    KafkaHealthIndicator,
  ],
})
export class BusModule {}
