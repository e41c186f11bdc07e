import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';

/** The retention job on /metrics: what it deleted, and when each rule last ran (a stalled job shows). */
@Injectable()
export class RetentionMetrics {
  readonly rowsDeleted: Counter<'table'>;
  readonly lastRun: Gauge<'rule' | 'table'>;
  readonly lastRunRows: Gauge<'rule' | 'table'>;

  constructor(registry: Registry) {
    this.rowsDeleted = new Counter({
      name: 'retention_rows_deleted_total',
      help: 'Rows the retention job deleted past their retention period, by table',
      labelNames: ['table'],
      registers: [registry],
    });
    this.lastRun = new Gauge({
      name: 'retention_last_run_timestamp_seconds',
      help: "When each retention rule's last run ended (Unix time)",
      labelNames: ['rule', 'table'],
      registers: [registry],
    });
    this.lastRunRows = new Gauge({
      name: 'retention_last_run_rows_deleted',
      help: "Rows each retention rule's last run deleted",
      labelNames: ['rule', 'table'],
      registers: [registry],
    });
  }
}
