import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Admin, Kafka } from 'kafkajs';

/** Readiness of the Kafka connection: the cluster answers a metadata request within the timeout. */
@Injectable()
export class KafkaHealthIndicator implements OnModuleDestroy {
  private admin?: Admin;

  constructor(
    private readonly kafka: Kafka,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(key = 'kafka', timeoutMs = 3000) {
    const session = this.indicator.check(key);
    try {
      const cluster = await withTimeout(this.describeCluster(), timeoutMs);
      return session.up({ brokers: cluster.brokers.length, controller: cluster.controller });
    } catch (error) {
      // A failed admin may hold dead connections: start afresh next time so a restarted broker is found again.
      // Not awaited: disconnecting from a dead broker can take as long as the broker stays dead.
      void this.admin?.disconnect().catch(() => undefined);
      this.admin = undefined;
      return session.down({ message: (error as Error).message });
    }
  }

  private async describeCluster() {
    if (!this.admin) {
      this.admin = this.kafka.admin({ retry: { retries: 0 } });
      await this.admin.connect();
    }
    return this.admin.describeCluster();
  }

  async onModuleDestroy(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
