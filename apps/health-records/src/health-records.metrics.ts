import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** The health-records service's own Prometheus metrics, on the instance's registry. */
@Injectable()
export class HealthMetrics {
  readonly published: Counter<'action'>;
  readonly replicated: Counter<'direction'>;
  readonly purged: Counter<'side'>;
  readonly readsAudited: Counter;
  readonly bookingOutcomes: Counter<'outcome'>;

  constructor(registry: Registry) {
    this.published = new Counter({
      name: 'health_documents_published_total',
      help: 'Documents written by this city’s HIS, by action: publish, amend, retract',
      labelNames: ['action'],
      registers: [registry],
    });
    this.replicated = new Counter({
      name: 'health_documents_replicated_total',
      help: 'Document versions sent to consented peers (sent) and applied from peers (received)',
      labelNames: ['direction'],
      registers: [registry],
    });
    this.purged = new Counter({
      name: 'health_purges_total',
      help: 'Purges requested of peers (requested), performed here (performed) and confirmed by peers (confirmed)',
      labelNames: ['side'],
      registers: [registry],
    });
    this.readsAudited = new Counter({
      name: 'health_reads_audited_total',
      help: 'Reads of other cities’ patient data, each written to the access log',
      registers: [registry],
    });
    this.bookingOutcomes = new Counter({
      name: 'health_booking_outcomes_total',
      help: 'Bookings of other cities’ slots by final outcome: confirmed, rejected, expired, cancelled',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }
}
