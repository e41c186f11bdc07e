import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { BusPublisher, OutgoingEvent } from '@app/bus';
import { AppConfig } from '@app/config';
import { ALERT_RECEIVED_V1 } from '@app/contracts';
import { Principal } from '@app/http';
import { PeriodicTask } from '@app/runtime';
import { alertReadEntry } from '../alerts/alert-read.audit';
import { ResponseRepository } from '../responses/response.repository';

export interface Delivery {
  principal: Principal;
  alertId: string;
  origin: string;
  at: Date;
}

/** Deliveries waiting for the flush beyond this are written at once rather than on the timer. */
const FLUSH_AT = 2000;
const FLUSH_INTERVAL_MS = 200;

/**
 * Records what units were delivered: the first receipt per unit and alert (sent to the raising region, which shows
 * who received), and an audit entry per unit for every read. Poll reads record in their own transaction; SSE
 * deliveries are queued and written in one transaction per flush, off the delivery path, so a slow database
 * never holds up a stream.
 */
@Injectable()
export class DeliveryRecorder implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryRecorder.name);
  private pending: Delivery[] = [];
  private flushing?: Promise<void>;
  /** A failed flush keeps its deliveries for the next one: a delivery is recorded late rather than not at all. */
  private readonly flusher = new PeriodicTask({
    name: 'recording deliveries',
    intervalMs: FLUSH_INTERVAL_MS,
    run: () => this.flush(),
    logger: this.logger,
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly responses: ResponseRepository,
    private readonly audit: AuditService,
    private readonly publisher: BusPublisher,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.flusher.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flusher.stop();
    await this.flush().catch((error: unknown) =>
      this.logger.error(`recording deliveries failed at shutdown: ${(error as Error).message}`),
    );
  }

  queue(delivery: Delivery): void {
    this.pending.push(delivery);
    if (this.pending.length >= FLUSH_AT) this.flusher.wake();
  }

  /** Writes every queued delivery; resolves once those queued before the call are committed. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.dataSource
      .transaction((manager) => this.record(manager, batch, 'sse'))
      .catch((error: unknown) => {
        // Kept for the next flush: a delivery is recorded late rather than not at all.
        this.pending = batch.concat(this.pending);
        throw error;
      })
      .finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  async record(manager: EntityManager, deliveries: Delivery[], channel: 'sse' | 'poll'): Promise<void> {
    if (deliveries.length === 0) return;
    const fresh = await this.responses.addFirstReceipts(
      manager,
      this.config.region,
      deliveries.map((d) => ({ alertId: d.alertId, unit: d.principal.org, at: d.at })),
    );
    const origins = new Map(deliveries.map((d) => [d.alertId, d.origin]));
    const receiptsByAlert = new Map<string, { unit: string; receivedAt: string }[]>();
    for (const receipt of fresh) {
      if (origins.get(receipt.alertId) === this.config.region) continue;
      const receipts = receiptsByAlert.get(receipt.alertId) ?? [];
      receipts.push({ unit: receipt.unit, receivedAt: receipt.receivedAt });
      receiptsByAlert.set(receipt.alertId, receipts);
    }
    const events: OutgoingEvent<typeof ALERT_RECEIVED_V1>[] = [...receiptsByAlert].map(([alertId, receipts]) => ({
      type: ALERT_RECEIVED_V1,
      subject: `alert/${alertId}`,
      data: { alertId, receipts },
      options: { target: origins.get(alertId) },
    }));
    await this.publisher.publishMany(manager, events);

    const byUnit = new Map<string, { principal: Principal; alerts: Set<string> }>();
    for (const delivery of deliveries) {
      const entry = byUnit.get(delivery.principal.org) ?? { principal: delivery.principal, alerts: new Set() };
      entry.alerts.add(delivery.alertId);
      byUnit.set(delivery.principal.org, entry);
    }
    for (const { principal, alerts } of byUnit.values()) {
      await this.audit.append(manager, alertReadEntry(principal, [...alerts], `delivery:${channel}`));
    }
  }
}
