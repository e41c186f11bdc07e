import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

/** The talent service's own Prometheus metrics, on the instance's registry. */
@Injectable()
export class TalentMetrics {
  readonly certificationChanges: Counter<'action'>;
  readonly claims: Counter<'kind' | 'outcome'>;
  readonly arbitrations: Counter<'decision' | 'reason'>;
  readonly answerLatency: Histogram;
  readonly statusQueries: Counter<'answer'>;

  constructor(registry: Registry) {
    this.certificationChanges = new Counter({
      name: 'talent_certification_changes_total',
      help: 'Certifications issued, renewed, suspended and revoked by this city',
      labelNames: ['action'],
      registers: [registry],
    });
    this.claims = new Counter({
      name: 'talent_claims_total',
      help: 'Benefit claims made in this city, by kind of benefit and immediate outcome',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    });
    this.arbitrations = new Counter({
      name: 'talent_arbitrations_total',
      help: 'Claims for exclusive benefits decided by this city as certifier',
      labelNames: ['decision', 'reason'],
      registers: [registry],
    });
    this.answerLatency = new Histogram({
      name: 'talent_claim_answer_seconds',
      help: "Time from a claim sent to another city until the certifier's answer is applied here",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    this.statusQueries = new Counter({
      name: 'talent_status_queries_total',
      help: 'Status queries answered, by kind of answer (full, or hit/no-hit)',
      labelNames: ['answer'],
      registers: [registry],
    });
  }
}
