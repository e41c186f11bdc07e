import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  ALERT_CANCELLED_V1,
  ALERT_CLOSED_V1,
  ALERT_ESCALATED_V1,
  ALERT_RAISED_V1,
  ALERT_UPDATED_V1,
  AlertStateV1,
} from '@app/contracts';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { PoliceCatalogue } from '../catalogue/police-catalogue';
import { escalationDueAt } from '../escalation/escalation.rules';
import { FeedKind, FeedRepository } from '../feed/feed.repository';
import { PoliceMetrics } from '../police.metrics';
import { alertNotFound } from './alert.errors';
import { AlertRepository } from './alert.repository';
import { AlertEndDto, AlertRaiseDto, AlertUpdateDto } from './dto/alert-raise.dto';

const EVENT_BY_KIND = {
  raised: ALERT_RAISED_V1,
  updated: ALERT_UPDATED_V1,
  closed: ALERT_CLOSED_V1,
  cancelled: ALERT_CANCELLED_V1,
  escalated: ALERT_ESCALATED_V1,
} as const satisfies Record<FeedKind, string>;

/** The alerts this region's units raise, change and end, and the events that tell the other regions. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly alerts: AlertRepository,
    private readonly feed: FeedRepository,
    private readonly publisher: BusPublisher,
    private readonly catalogue: PoliceCatalogue,
    private readonly metrics: PoliceMetrics,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
  ) {}

  async raise(principal: Principal, dto: AlertRaiseDto): Promise<AlertStateV1> {
    this.catalogue.assertArea(dto.area);
    this.catalogue.assertSeverity(dto.severity);
    this.catalogue.assertZone(dto.location.zone);
    const now = this.clock.now();
    const expiresAt = this.futureExpiry(dto.expiresAt, now);
    const state: AlertStateV1 = {
      alertId: randomUUID(),
      version: 1,
      status: 'ACTIVE',
      area: dto.area,
      severity: dto.severity,
      location: { lat: dto.location.lat, lon: dto.location.lon, zone: dto.location.zone },
      description: dto.description,
      actionRequested: dto.actionRequested,
      expiresAt,
      raisedBy: principal.org,
      raisedAt: now.toISOString(),
      updatedAt: now.toISOString(),
      personPseudonyms: (dto.personResidentIds ?? []).map((id) => this.pseudonyms.of(id.toUpperCase())),
    };
    await this.dataSource.transaction(async (manager) => {
      await this.alerts.upsert(manager, this.config.region, state);
      await this.alerts.setDeadline(
        manager,
        state.alertId,
        escalationDueAt(this.catalogue, state.severity, state.raisedAt),
      );
      await this.publishChange(manager, 'raised', state);
    });
    this.metrics.raised.inc({ area: state.area, severity: state.severity });
    return state;
  }

  async update(principal: Principal, alertId: string, dto: AlertUpdateDto): Promise<AlertStateV1> {
    if (dto.severity !== undefined) this.catalogue.assertSeverity(dto.severity);
    if (dto.location !== undefined) this.catalogue.assertZone(dto.location.zone);
    return this.dataSource.transaction(async (manager) => {
      const current = await this.ownActiveAlert(manager, principal, alertId);
      const now = this.clock.now();
      const state: AlertStateV1 = {
        ...current,
        version: current.version + 1,
        ...(dto.severity !== undefined && { severity: dto.severity }),
        ...(dto.location !== undefined && {
          location: { lat: dto.location.lat, lon: dto.location.lon, zone: dto.location.zone },
        }),
        ...(dto.description !== undefined && { description: dto.description }),
        ...(dto.actionRequested !== undefined && { actionRequested: dto.actionRequested }),
        ...(dto.expiresAt !== undefined && { expiresAt: this.futureExpiry(dto.expiresAt, now) }),
        updatedAt: now.toISOString(),
      };
      await this.alerts.upsert(manager, this.config.region, state);
      if (state.severity !== current.severity && !state.escalation) {
        await this.alerts.moveDeadline(
          manager,
          alertId,
          escalationDueAt(this.catalogue, state.severity, state.raisedAt),
        );
      }
      await this.publishChange(manager, 'updated', state);
      return state;
    });
  }

  async end(principal: Principal, alertId: string, status: 'CLOSED' | 'CANCELLED', dto: AlertEndDto) {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.ownActiveAlert(manager, principal, alertId);
      const state: AlertStateV1 = {
        ...current,
        version: current.version + 1,
        status,
        ...(dto.reason !== undefined && { endReason: dto.reason }),
        updatedAt: this.clock.now().toISOString(),
      };
      await this.alerts.upsert(manager, this.config.region, state);
      await this.alerts.clearDeadline(manager, alertId);
      await this.publishChange(manager, status === 'CLOSED' ? 'closed' : 'cancelled', state);
      return state;
    });
  }

  /** Writes a change of an alert of this region to the feed and the outbox, in the caller's transaction. */
  async publishChange(manager: EntityManager, kind: FeedKind, state: AlertStateV1): Promise<void> {
    await this.feed.append(manager, kind, this.config.region, state);
    await this.publisher.publish(manager, EVENT_BY_KIND[kind], `alert/${state.alertId}`, state);
  }

  private async ownActiveAlert(manager: EntityManager, principal: Principal, alertId: string): Promise<AlertStateV1> {
    const alert = await this.alerts.lock(manager, alertId);
    if (!alert) throw alertNotFound(alertId);
    if (alert.origin !== principal.region || alert.state.raisedBy !== principal.org) {
      throw new DomainError('POLICE.NOT_ALERT_OWNER', 'forbidden', 'Only the unit that raised an alert may change it', {
        details: { alertId },
      });
    }
    if (alert.state.status !== 'ACTIVE') {
      throw new DomainError('POLICE.ALERT_ENDED', 'conflict', `The alert is ${alert.state.status.toLowerCase()}`, {
        details: { alertId, status: alert.state.status },
      });
    }
    return alert.state;
  }

  private futureExpiry(expiresAt: string, now: Date): string {
    const at = new Date(expiresAt);
    if (at.getTime() <= now.getTime()) {
      throw new DomainError('POLICE.EXPIRY_IN_PAST', 'invalid', `expiresAt ${expiresAt} is not in the future`, {
        details: { expiresAt, now: now.toISOString() },
      });
    }
    return at.toISOString();
  }
}
