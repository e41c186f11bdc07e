import { Injectable, OnModuleInit } from '@nestjs/common';
import { RetentionService } from '@app/audit';
import { AppConfig } from '@app/config';
import { LabConfig } from '../lab-results.config';

/**
 * This service's personal-data tables and how long each keeps its rows (the README's retention table). Kept:
 * this city's own reports (the labs' records), catalogues and qualifications (no persons), and the audit log.
 * A report's items and a query's answers go with it (foreign keys on delete cascade).
 */
@Injectable()
export class LabRetention implements OnModuleInit {
  constructor(
    private readonly retention: RetentionService,
    private readonly config: LabConfig,
    private readonly app: AppConfig,
  ) {}

  onModuleInit(): void {
    this.retention.register({
      table: 'lab_report',
      timeColumn: 'reported_at',
      where: 'region <> $3',
      params: [this.app.region],
      setting: 'LAB_REPLICA_RETENTION_DAYS',
      days: this.config.LAB_REPLICA_RETENTION_DAYS,
      holds: "peers' lab reports and their items (patient pseudonym, results)",
    });
    this.retention.register({
      table: 'lab_reuse_query',
      timeColumn: 'asked_at',
      setting: 'LAB_REUSE_QUERY_RETENTION_DAYS',
      days: this.config.LAB_REUSE_QUERY_RETENTION_DAYS,
      holds: 'reuse queries and their answers (actor, patient pseudonym)',
    });
    this.retention.register({
      table: 'lab_decision',
      timeColumn: 'decided_at',
      setting: 'LAB_DECISION_RETENTION_DAYS',
      days: this.config.LAB_DECISION_RETENTION_DAYS,
      holds: 'recognition decisions made and received (patient pseudonym, price)',
    });
    // A consent no longer in force lets nothing cross: past the period (longer than the topics keep events, so no
    // late grant can bring it back) it goes, as in health-records.
    this.retention.register({
      name: 'consent (revoked)',
      table: 'consent',
      timeColumn: 'revoked_at',
      setting: 'LAB_CONSENT_RETENTION_DAYS',
      days: this.config.LAB_CONSENT_RETENTION_DAYS,
      holds: 'the health consents lab results follow (patient pseudonym, purpose), after their revocation',
    });
    this.retention.register({
      name: 'consent (expired)',
      table: 'consent',
      timeColumn: 'valid_until',
      where: 'revoked_at is null',
      setting: 'LAB_CONSENT_RETENTION_DAYS',
      days: this.config.LAB_CONSENT_RETENTION_DAYS,
      holds: 'the health consents lab results follow, after their validity',
    });
  }
}
