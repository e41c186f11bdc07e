import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@app/config';
import { PeriodicTask } from '@app/runtime';
import { HEARTBEAT_V1, HeartbeatV1, SERVICES, domainTopic } from '@app/contracts';
import { buildEnvelope, eventSource, sign } from './envelope';
import { EventSigner } from './trust';

export interface PeerHeartbeat {
  region: string;
  instance: string;
  startedAt: string;
  lastSeen: string;
}

/** Publishes this instance's heartbeat on its own topic and remembers when each peer was last heard. */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HeartbeatService.name);
  private readonly instance = randomUUID();
  private readonly startedAt = new Date().toISOString();
  private readonly peers = new Map<string, PeerHeartbeat>();
  private readonly signer: EventSigner;
  private producer?: Producer;
  private readonly task: PeriodicTask;

  constructor(
    private readonly config: AppConfig,
    private readonly kafka: Kafka,
  ) {
    this.signer = new EventSigner(config.signingKey);
    this.task = new PeriodicTask({
      name: 'heartbeat',
      intervalMs: config.heartbeatIntervalMs,
      runAtStart: true,
      logger: this.logger,
      run: () => this.beat(),
    });
  }

  onApplicationBootstrap(): void {
    this.producer = this.kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 2 } });
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
    await this.producer?.disconnect().catch(() => undefined);
  }

  get service(): string {
    return this.config.service;
  }

  record(region: string, heartbeat: HeartbeatV1, time: string): void {
    this.peers.set(region, { region, instance: heartbeat.instance, startedAt: heartbeat.startedAt, lastSeen: time });
  }

  /** Last heartbeat of each peer region (those not heard from yet are absent). */
  peerStatus(): PeerHeartbeat[] {
    return [...this.peers.values()];
  }

  private message(data: HeartbeatV1) {
    const subject = `heartbeat/${this.config.service}`;
    const { headers, payload } = buildEnvelope({
      id: randomUUID(),
      type: HEARTBEAT_V1,
      source: eventSource(this.config.region, this.config.service),
      region: this.config.region,
      subject,
      data,
    });
    return { key: subject, value: payload, headers: { ...headers, ce_sig: sign(this.signer, headers, payload) } };
  }

  private async beat(): Promise<void> {
    const data: HeartbeatV1 = { service: this.config.service, instance: this.instance, startedAt: this.startedAt };
    try {
      await this.producer!.connect();
      await this.producer!.send({
        topic: domainTopic(this.config.region, SERVICES[this.config.service].domain),
        messages: [this.message(data)],
      });
    } catch (error) {
      this.logger.debug(`heartbeat not sent: ${(error as Error).message}`);
    }
  }
}
