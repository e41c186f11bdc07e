import { Injectable, OnModuleInit } from '@nestjs/common';
import { RetentionService } from '@app/audit';
import { PoliceConfig } from '../police.config';

/**
 * This service's personal-data tables and how long each keeps its rows (the README's retention table). Kept:
 * subscriptions and shifts (units, not persons), and the audit log.
 */
@Injectable()
export class PoliceRetention implements OnModuleInit {
  constructor(
    private readonly retention: RetentionService,
    private readonly config: PoliceConfig,
  ) {}

  onModuleInit(): void {
    const rules = [
      [
        'police_feed',
        'at',
        'POLICE_FEED_RETENTION_DAYS',
        "this city's delivery feed (alert states, persons' pseudonyms)",
      ],
      ['police_receipt', 'received_at', 'POLICE_RECEIPT_RETENTION_DAYS', "units' receipts of alerts"],
      ['police_response', 'at', 'POLICE_RECEIPT_RETENTION_DAYS', "units' acknowledgements and refusals"],
    ] as const;
    for (const [table, timeColumn, setting, holds] of rules) {
      this.retention.register({ table, timeColumn, setting, days: this.config[setting], holds });
    }
    // An alert still waiting to escalate is live whatever its dates say.
    this.retention.register({
      table: 'police_alert',
      timeColumn: 'ends_at',
      where: 'not exists (select 1 from police_escalation_deadline d where d.alert_id = police_alert.alert_id)',
      setting: 'POLICE_ALERT_RETENTION_DAYS',
      days: this.config.POLICE_ALERT_RETENTION_DAYS,
      holds: "alerts of every city (state, persons' pseudonyms), once closed, cancelled or expired",
    });
  }
}
