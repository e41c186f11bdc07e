import { Injectable, OnModuleInit } from '@nestjs/common';
import { RetentionService } from '@app/audit';
import { AffairsConfig } from '../affairs.config';

/**
 * This service's personal-data tables and how long each keeps its rows (the README's retention table): closed
 * applications and cases (not accepted, or delivered) after their last change; open ones are kept. Their
 * history and clock rows go with them (foreign keys).
 */
@Injectable()
export class AffairsRetention implements OnModuleInit {
  constructor(
    private readonly retention: RetentionService,
    private readonly config: AffairsConfig,
  ) {}

  onModuleInit(): void {
    this.retention.register({
      table: 'affairs_case',
      timeColumn: 'updated_at',
      where: "status in ('not-accepted', 'delivered')",
      setting: 'AFFAIRS_CASE_RETENTION_DAYS',
      days: this.config.AFFAIRS_CASE_RETENTION_DAYS,
      holds: "closed cases handled here (the applicant's identity, contact)",
    });
    this.retention.register({
      table: 'affairs_application',
      timeColumn: 'updated_at',
      where: "status in ('not-accepted', 'delivered')",
      setting: 'AFFAIRS_CASE_RETENTION_DAYS',
      days: this.config.AFFAIRS_CASE_RETENTION_DAYS,
      holds: 'closed applications filed here (applicant pseudonym, credit code)',
    });
  }
}
