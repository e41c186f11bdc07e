import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';

/** The affairs service's own Prometheus metrics, on the instance's registry. */
@Injectable()
export class AffairsMetrics {
  readonly catalogueMismatches: Gauge<'peer'>;
  readonly cataloguesReceived: Counter<'peer'>;
  readonly applications: Counter<'matter' | 'handling'>;
  readonly transitions: Counter<'status'>;
  readonly clockAlerts: Counter<'kind'>;

  constructor(registry: Registry) {
    this.catalogueMismatches = new Gauge({
      name: 'affairs_catalogue_mismatched_matters',
      help: "Matters whose catalogue entry differs from a peer's (missing on one side or different), by peer",
      labelNames: ['peer'],
      registers: [registry],
    });
    this.cataloguesReceived = new Counter({
      name: 'affairs_catalogues_received_total',
      help: 'Catalogue versions received from peers',
      labelNames: ['peer'],
      registers: [registry],
    });
    this.applications = new Counter({
      name: 'affairs_applications_filed_total',
      help: "Applications filed at this city's window, by matter and whether this city (here) or a peer handles them",
      labelNames: ['matter', 'handling'],
      registers: [registry],
    });
    this.transitions = new Counter({
      name: 'affairs_case_transitions_total',
      help: 'Status changes of the cases this city handles',
      labelNames: ['status'],
      registers: [registry],
    });
    this.clockAlerts = new Counter({
      name: 'affairs_clock_alerts_total',
      help: 'Cases of this city whose clock reached 80 % of the time limit (warning) or passed it (overdue)',
      labelNames: ['kind'],
      registers: [registry],
    });
  }
}
