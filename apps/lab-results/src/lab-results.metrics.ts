import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

/** lab-results' own Prometheus metrics, on the service instance's registry. */
@Injectable()
export class LabMetrics {
  readonly reuseQuerySeconds: Histogram;
  readonly reuseAnswers: Counter<'reason'>;
  readonly reportsSent: Counter<'target' | 'type'>;
  readonly reportsWithheld: Counter;
  readonly reportsReceived: Counter<'origin' | 'outcome'>;
  readonly decisions: Counter<'direction' | 'outcome'>;
  readonly purged: Counter<'origin'>;

  constructor(registry: Registry) {
    this.reuseQuerySeconds = new Histogram({
      name: 'lab_reuse_query_seconds',
      help: 'Time to answer a reuse query, from the request to the commit of its record',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    this.reuseAnswers = new Counter({
      name: 'lab_reuse_answers_total',
      help: 'Answers to requested test codes, by reason (REUSABLE, ABNORMAL_RESULT, OUTSIDE_VALIDITY_WINDOW, …)',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.reportsSent = new Counter({
      name: 'lab_reports_sent_total',
      help: 'Report versions sent to a peer under the patient’s consent',
      labelNames: ['target', 'type'],
      registers: [registry],
    });
    this.reportsWithheld = new Counter({
      name: 'lab_reports_withheld_total',
      help: 'Report versions issued here that no peer received, for want of an active consent',
      registers: [registry],
    });
    this.reportsReceived = new Counter({
      name: 'lab_reports_received_total',
      help: 'Report events received from peers: stored, stale (an older version) or refused (consent revoked)',
      labelNames: ['origin', 'outcome'],
      registers: [registry],
    });
    this.decisions = new Counter({
      name: 'lab_recognition_decisions_total',
      help: 'Recognition decisions made here and received from peers about results issued here',
      labelNames: ['direction', 'outcome'],
      registers: [registry],
    });
    this.purged = new Counter({
      name: 'lab_reports_purged_total',
      help: 'Reports of peers deleted because the patient revoked consent',
      labelNames: ['origin'],
      registers: [registry],
    });
  }
}
