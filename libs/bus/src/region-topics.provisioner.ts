import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { AppConfig } from '@app/config';
import { ensureRegionTopics } from './region-topics';
import { sleep } from '@app/runtime';

/**
 * Makes the region's topics exist with their retention at boot, in the background (HTTP and /health come up while
 * Kafka is away), retrying until it succeeds. A cluster that does not let the service create topics (production:
 * topics are created up front) is told once in the log.
 */
@Injectable()
export class RegionTopicsProvisioner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RegionTopicsProvisioner.name);
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly kafka: Kafka,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    const { region, registry, kafkaPartitions, kafkaRetentionMs } = this.config;
    for (let delay = 500; this.running; delay = Math.min(delay * 2, 10_000)) {
      try {
        const { created, retentionSet } = await ensureRegionTopics(this.kafka, {
          region,
          regions: registry.names,
          partitions: kafkaPartitions,
          retentionMs: kafkaRetentionMs,
        });
        if (created.length + retentionSet.length > 0) {
          this.logger.log(
            `topics created: ${created.join(', ') || 'none'}; retention.ms=${kafkaRetentionMs} set on: ${retentionSet.join(', ') || 'none'}`,
          );
        }
        return;
      } catch (error) {
        const { type } = error as { type?: string };
        if (type?.endsWith('AUTHORIZATION_FAILED')) {
          this.logger.warn(`not allowed to create or configure the region's topics (${type}): create them up front`);
          return;
        }
        this.logger.warn(`region topics not ensured yet (${(error as Error).message}); retrying in ${delay} ms`);
        for (const until = Date.now() + delay; this.running && Date.now() < until;) {
          await sleep(100);
        }
      }
    }
  }
}
