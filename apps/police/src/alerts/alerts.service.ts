import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { BusPublisher, Pseudonymizer, ReplayService } from '@app/bus';
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
import { alertMatches } from '../feed/alert-match';
import { DeliveryRecorder } from '../feed/delivery-recorder.service';
import { FeedKind, FeedRepository } from '../feed/feed.repository';
import { PoliceMetrics } from '../police.metrics';
import { AlertRepository } from './alert.repository';
import { AlertEndDto, AlertRaiseDto, AlertUpdateDto } from './dto/alert-raise.dto';

const EVENT_BY_KIND = {
  raised: ALERT_RAISED_V1,
  updated: ALERT_UPDATED_V1,
  closed: ALERT_CLOSED_V1,
  cancelled: ALERT_CANCELLED_V1,
  escalated: ALERT_ESCALATED_V1,
} as const satisfies Record<FeedKind, string>;

/** Rows of the feed one poll looks through at most, matching or not. */
const POLL_SCAN = 5000;

@Injectable()
export class AlertsService implements OnModuleInit {
  private readonly pseudonyms: Pseudonymizer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly alerts: AlertRepository,
    private readonly feed: FeedRepository,
    private readonly publisher: BusPublisher,
    private readonly recorder: DeliveryRecorder,
    private readonly audit: AuditService,
    private readonly catalogue: PoliceCatalogue,
    private readonly metrics: PoliceMetrics,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly replay: ReplayService,
  ) {
    this.pseudonyms = new Pseudonymizer(config.pseudonymSecret);
  }

  /** The peers' alerts. The feed stays: it is what units were delivered, and a replayed version is not fed twice. */
  onModuleInit(): void {
    this.replay.registerProjection(async (manager) => {
      await manager.query('delete from police_alert where origin <> $1', [this.config.region]);
    });
  }

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

  /** A change published by another region: applied when newer than what is known, and fed to the units here. */
  async applyRemote(manager: EntityManager, origin: string, kind: FeedKind, state: AlertStateV1): Promise<void> {
    // After a rebuild (POST /bus/replay) the alert is new again, but its units were delivered this version already.
    if ((await this.alerts.upsert(manager, origin, state)) && !(await this.feed.delivered(manager, state))) {
      await this.feed.append(manager, kind, origin, state);
    }
  }

  /** One alert with who received it and what they answered; the read is audited. */
  async get(principal: Principal, alertId: string) {
    return this.dataSource.transaction(async (manager) => {
      const alert = await this.alerts.find(alertId, manager);
      if (!alert) throw notFound(alertId);
      await this.audit.append(manager, auditOf(principal, 'police.alert.read', [alertId], 'detail'));
      return {
        origin: alert.origin,
        alert: alert.state,
        receipts: await this.alerts.receipts(alertId, manager),
        responses: await this.alerts.responses(alertId, manager),
      };
    });
  }

  /**
   * The poll twin of the stream: the caller's matching feed entries after `after`, with `next` to pass as `after`
   * next time (the last entry looked at, matching or not). Deliveries are recorded in the read's transaction.
   */
  async poll(principal: Principal, after: number, limit: number) {
    return this.dataSource.transaction(async (manager) => {
      const filters = await this.feed.filters(this.config.region, [principal.org], this.clock.now());
      const filter = filters.get(principal.org)!;
      const rows = await this.feed.read(after, POLL_SCAN, undefined, manager);
      const items = [];
      let next = after;
      for (const row of rows) {
        if (items.length === limit) break;
        next = row.seq;
        if (alertMatches(filter, row)) items.push(row);
      }
      const at = this.clock.now();
      await this.recorder.record(
        manager,
        items.map((row) => ({ principal, alertId: row.alertId, origin: row.origin, at })),
        'poll',
      );
      this.metrics.delivered.inc({ channel: 'poll' }, items.length);
      return {
        items: items.map((row) => ({ seq: row.seq, kind: row.kind, origin: row.origin, alert: row.state })),
        next,
      };
    });
  }

  private async ownActiveAlert(manager: EntityManager, principal: Principal, alertId: string): Promise<AlertStateV1> {
    const alert = await this.alerts.lock(manager, alertId);
    if (!alert) throw notFound(alertId);
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

export function notFound(alertId: string): DomainError {
  return new DomainError('POLICE.ALERT_NOT_FOUND', 'not-found', `No alert ${alertId}`, { details: { alertId } });
}

export function auditOf(principal: Principal, action: string, resources: string[], purpose: string) {
  return {
    actor: principal.sub ?? principal.org,
    role: principal.role,
    org: principal.org,
    actorRegion: principal.region,
    action,
    purpose,
    resources,
  };
}
