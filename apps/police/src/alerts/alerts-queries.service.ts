import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessReportService, AuditService } from '@app/audit';
import { Principal } from '@app/http';
import { Clock } from '@app/platform';
import { alertMatches } from '../feed/alert-match';
import { DeliveryRecorder } from '../feed/delivery-recorder.service';
import { FeedRepository } from '../feed/feed.repository';
import { UnitFiltersService } from '../feed/unit-filters.service';
import { PoliceMetrics } from '../police.metrics';
import { ResponseRepository } from '../responses/response.repository';
import { alertReadEntry } from './alert-read.audit';
import { alertNotFound } from './alert.errors';
import { AlertRepository } from './alert.repository';

/** Rows of the feed one poll looks through at most, matching or not. */
const POLL_SCAN = 5000;

/** Reads of alerts by this region's units, each recorded in the access log. */
@Injectable()
export class AlertsQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly alerts: AlertRepository,
    private readonly responses: ResponseRepository,
    private readonly feed: FeedRepository,
    private readonly filters: UnitFiltersService,
    private readonly recorder: DeliveryRecorder,
    private readonly audit: AuditService,
    private readonly accessReports: AccessReportService,
    private readonly metrics: PoliceMetrics,
    private readonly clock: Clock,
  ) {}

  /** One alert with who received it and what they answered; the read is audited (and reported to the raising city). */
  async get(principal: Principal, alertId: string) {
    return this.dataSource.transaction(async (manager) => {
      const alert = await this.alerts.find(manager, alertId);
      if (!alert) throw alertNotFound(alertId);
      const persons = alert.state.personPseudonyms;
      const entry = alertReadEntry(principal, [alertId], 'detail');
      // An alert naming persons is their data: the raising city, their home here, learns who read it.
      if (persons.length === 0) await this.audit.append(manager, entry);
      else {
        const { resources, ...read } = entry;
        await this.accessReports.recordRead(manager, {
          ...read,
          subjects: persons,
          resourcesByHome: { [alert.origin]: resources },
        });
      }
      return {
        origin: alert.origin,
        alert: alert.state,
        receipts: await this.responses.receipts(manager, alertId),
        responses: await this.responses.responses(manager, alertId),
      };
    });
  }

  /**
   * The poll twin of the stream: the caller's matching feed entries after `after`, with `next` to pass as `after`
   * next time (the last entry looked at, matching or not). Deliveries are recorded in the read's transaction.
   */
  async poll(principal: Principal, after: number, limit: number) {
    return this.dataSource.transaction(async (manager) => {
      const filters = await this.filters.of([principal.org], this.clock.now());
      const filter = filters.get(principal.org)!;
      const rows = await this.feed.read(manager, after, POLL_SCAN);
      const items = [];
      let next = after;
      for (const row of rows) {
        if (items.length === limit) break;
        next = row.seq;
        if (alertMatches(filter, row)) items.push(row);
      }
      const at = this.clock.now();
      await this.recorder.record(
        manager,
        items.map((row) => ({
          principal,
          alertId: row.alertId,
          origin: row.origin,
          persons: row.state.personPseudonyms,
          at,
        })),
        'poll',
      );
      this.metrics.delivered.inc({ channel: 'poll' }, items.length);
      return {
        items: items.map((row) => ({ seq: row.seq, kind: row.kind, origin: row.origin, alert: row.state })),
        next,
      };
    });
  }
}
