import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { BusPublisher, OutgoingEvent } from '@app/bus';
import { AppConfig } from '@app/config';
import { ALERT_RECEIVED_V1 } from '@app/contracts';
import { Principal } from '@app/http';
import { alertReadEntry } from '../alerts/alert-read.audit';
import { ResponseRepository } from '../responses/response.repository';

export interface Delivery {
  principal: Principal;
  alertId: string;
  origin: string;
  at: Date;
}

/**
 * Records what units are delivered: the first receipt per unit and alert (sent to the raising region, which shows
 * who received), and an audit entry per unit for every read. Runs in the caller's transaction, which commits
 * before the deliveries are sent (stream) or answered (poll): no unit sees an alert that is not on record.
 */
@Injectable()
export class DeliveryRecorder {
  constructor(
    private readonly responses: ResponseRepository,
    private readonly audit: AuditService,
    private readonly publisher: BusPublisher,
    private readonly config: AppConfig,
  ) {}

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
    await this.audit.appendMany(
      manager,
      [...byUnit.values()].map(({ principal, alerts }) =>
        alertReadEntry(principal, [...alerts], `delivery:${channel}`),
      ),
    );
  }
}
