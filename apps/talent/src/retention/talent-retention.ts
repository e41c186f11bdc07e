import { Injectable, OnModuleInit } from '@nestjs/common';
import { RetentionService } from '@app/audit';
import { AppConfig } from '@app/config';
import { TalentConfig } from '../talent.config';

/**
 * This service's personal-data tables and how long each keeps its rows (the README's retention table). Kept for
 * good: this city's own certifications and hukou facts, every benefit grant and the certifier's decisions (a
 * grant anywhere must block a second one everywhere), each person's authority (who may certify and grant: without
 * it a second city could certify and grant again), pending claims and requests, and the audit log.
 */
@Injectable()
export class TalentRetention implements OnModuleInit {
  constructor(
    private readonly retention: RetentionService,
    private readonly config: TalentConfig,
    private readonly app: AppConfig,
  ) {}

  onModuleInit(): void {
    this.retention.register({
      table: 'talent_certification',
      timeColumn: 'valid_until',
      where: 'origin <> $3',
      params: [this.app.region],
      setting: 'TALENT_REPLICA_RETENTION_DAYS',
      days: this.config.TALENT_REPLICA_RETENTION_DAYS,
      holds: "peers' certifications (person pseudonym, tier), after their validity",
    });
    this.retention.register({
      table: 'talent_claim',
      timeColumn: 'decided_at',
      setting: 'TALENT_CLAIM_RETENTION_DAYS',
      days: this.config.TALENT_CLAIM_RETENTION_DAYS,
      holds: "this city's decided claims (person pseudonym, benefit, requester)",
    });
    this.retention.register({
      table: 'talent_certification_request',
      timeColumn: 'answered_at',
      setting: 'TALENT_CLAIM_RETENTION_DAYS',
      days: this.config.TALENT_CLAIM_RETENTION_DAYS,
      holds: "this city's answered requests to certify (person pseudonym, tier), asked of the authority",
    });
  }
}
