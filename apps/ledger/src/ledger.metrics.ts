import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

@Injectable()
export class LedgerMetrics {
  readonly appended: Counter<'log' | 'kind'>;
  readonly heads: Counter<'outcome'>;
  readonly equivocations: Counter<'origin'>;
  readonly agreementSeconds: Histogram;

  constructor(registry: Registry) {
    this.appended = new Counter({
      name: 'ledger_entries_appended_total',
      help: "Entries appended to this city's ledger log (log=own) or to its copy of a peer's (log=peer), by kind",
      labelNames: ['log', 'kind'],
      registers: [registry],
    });
    this.heads = new Counter({
      name: 'ledger_heads_total',
      help: 'Signed tree heads: published here, cosigned or refused here as witness, cosigned or refused by peers',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.equivocations = new Counter({
      name: 'ledger_equivocations_total',
      help: 'Pairs of conflicting heads signed by one city, kept as proof',
      labelNames: ['origin'],
      registers: [registry],
    });
    this.agreementSeconds = new Histogram({
      name: 'ledger_agreement_check_seconds',
      help: 'Time to check every log this city holds against the heads their cities signed',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    });
  }
}
