import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessReportService, AuditEntryInput, AuditService, PersonalDataRead } from '@app/audit';
import { BusPublisher, OutgoingEvent } from '@app/bus';
import { AppConfig } from '@app/config';
import { ACCESS_REPORT_MAX_SUBJECTS, ALERT_RECEIVED_V1 } from '@app/contracts';
import { Principal } from '@app/http';
import { alertReadEntry } from '../alerts/alert-read.audit';
import { ResponseRepository } from '../responses/response.repository';

export interface Delivery {
  principal: Principal;
  alertId: string;
  origin: string;
  /** The pseudonyms of the persons the alert names (its state's `personPseudonyms`). */
  persons: string[];
  at: Date;
}

/**
 * The audit entries of a batch of deliveries, one per unit and kind: alerts naming no person of another city in one
 * plain entry; those naming persons of another city (their data, whose home is the raising city) in reads reported
 * there, one per unit and raising city, split so that no report names more than ACCESS_REPORT_MAX_SUBJECTS persons
 * (an alert names at most ALERT_MAX_PERSONS).
 */
export function deliveryReads(
  deliveries: Delivery[],
  channel: 'sse' | 'poll',
  region: string,
): { entries: AuditEntryInput[]; reads: PersonalDataRead[] } {
  const purpose = `delivery:${channel}`;
  const plain = new Map<string, { principal: Principal; alerts: Set<string> }>();
  const reported = new Map<string, { principal: Principal; origin: string; alerts: Map<string, string[]> }>();
  for (const delivery of deliveries) {
    const { principal, alertId, origin, persons } = delivery;
    if (origin === region || persons.length === 0) {
      const entry = plain.get(principal.org) ?? { principal, alerts: new Set() };
      entry.alerts.add(alertId);
      plain.set(principal.org, entry);
      continue;
    }
    const key = JSON.stringify([principal.org, origin]);
    const entry = reported.get(key) ?? { principal, origin, alerts: new Map() };
    entry.alerts.set(alertId, persons);
    reported.set(key, entry);
  }
  const entries = [...plain.values()].map(({ principal, alerts }) => alertReadEntry(principal, [...alerts], purpose));
  const reads: PersonalDataRead[] = [];
  for (const { principal, origin, alerts } of reported.values()) {
    const { actor, role, org, actorRegion, action } = alertReadEntry(principal, [], purpose);
    const read = { actor, role, org, actorRegion, action, purpose };
    let subjects = new Set<string>();
    let resources: string[] = [];
    const flush = () => {
      if (resources.length > 0)
        reads.push({ ...read, subjects: [...subjects], resourcesByHome: { [origin]: resources } });
      subjects = new Set();
      resources = [];
    };
    for (const [alertId, persons] of alerts) {
      const added = persons.filter((person) => !subjects.has(person)).length;
      if (subjects.size + added > ACCESS_REPORT_MAX_SUBJECTS) flush();
      for (const person of persons) subjects.add(person);
      resources.push(alertId);
    }
    flush();
  }
  return { entries, reads };
}

/**
 * Records what units are delivered: the first receipt per unit and alert (sent to the raising region, which shows
 * who received), and the audit entries of every read (reported to the raising city when it names its persons). Runs in the caller's transaction, which commits
 * before the deliveries are sent (stream) or answered (poll): no unit sees an alert that is not on record.
 */
@Injectable()
export class DeliveryRecorder {
  constructor(
    private readonly responses: ResponseRepository,
    private readonly audit: AuditService,
    private readonly accessReports: AccessReportService,
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

    // An alert naming persons is their data: the raising city, their home, learns which units it was delivered to.
    const { entries, reads } = deliveryReads(deliveries, channel, this.config.region);
    await this.audit.appendMany(manager, entries);
    if (reads.length > 0) await this.accessReports.recordReads(manager, reads);
  }
}
