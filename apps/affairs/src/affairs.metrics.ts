import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';

/** The affairs service's own Prometheus metrics, on the instance's registry. */
@Injectable()
export class AffairsMetrics {
  readonly catalogueMismatches: Gauge<'peer'>;
  readonly cataloguesReceived: Counter<'peer'>;

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
  }
}
