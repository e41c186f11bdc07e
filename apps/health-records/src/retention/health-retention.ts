import { Injectable, OnModuleInit } from '@nestjs/common';
import { RetentionService } from '@app/audit';
import { HealthConfig } from '../health-records.config';

/**
 * This service's personal-data tables and how long each keeps its rows (the README's retention table). Kept
 * without a period: this city's own documents and request ids (the HIS's records), unconfirmed purges, pending
 * bookings, and the audit log.
 */
@Injectable()
export class HealthRetention implements OnModuleInit {
  constructor(
    private readonly retention: RetentionService,
    private readonly config: HealthConfig,
  ) {}

  onModuleInit(): void {
    const c = this.config;
    const rules = [
      [
        'replica_document',
        'updated_at',
        'HEALTH_REPLICA_RETENTION_DAYS',
        "peers' documents (patient pseudonym, content)",
      ],
      ['replica_purge', 'purged_at', 'HEALTH_PURGE_RETENTION_DAYS', "purges done here at peers' request"],
      ['health_purge', 'purged_at', 'HEALTH_PURGE_RETENTION_DAYS', 'purges asked of peers, once confirmed'],
      ['slot_booking', 'decided_at', 'HEALTH_BOOKING_RETENTION_DAYS', "peers' requests for this city's slots"],
      ['slot', 'starts_at', 'HEALTH_BOOKING_RETENTION_DAYS', "slots (doctors' names), after their start"],
    ] as const;
    for (const [table, timeColumn, setting, holds] of rules) {
      this.retention.register({ table, timeColumn, setting, days: c[setting], holds });
    }
    this.retention.register({
      table: 'booking',
      timeColumn: 'requested_at',
      where: "status <> 'pending'",
      setting: 'HEALTH_BOOKING_RETENTION_DAYS',
      days: c.HEALTH_BOOKING_RETENTION_DAYS,
      holds: "this city's answered bookings of peers' slots (resident ID, pseudonym)",
    });
    this.retention.register({
      table: 'consent_window',
      timeColumn: 'ends_at',
      where: 'ended',
      setting: 'HEALTH_CONSENT_RETENTION_DAYS',
      days: c.HEALTH_CONSENT_RETENTION_DAYS,
      holds: "when this city's consents start and end (patient pseudonym)",
    });
    this.retention.register({
      name: 'consent (revoked)',
      table: 'consent',
      timeColumn: 'revoked_at',
      setting: 'HEALTH_CONSENT_RETENTION_DAYS',
      days: c.HEALTH_CONSENT_RETENTION_DAYS,
      holds: 'consents (patient pseudonym, purpose, grantees), after their revocation',
    });
    this.retention.register({
      name: 'consent (expired)',
      table: 'consent',
      timeColumn: 'valid_until',
      where: 'revoked_at is null',
      setting: 'HEALTH_CONSENT_RETENTION_DAYS',
      days: c.HEALTH_CONSENT_RETENTION_DAYS,
      holds: 'consents, after their validity',
    });
  }
}
