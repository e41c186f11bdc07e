import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { ALERT_ACKNOWLEDGED_V1, AlertAcknowledgedV1, AlertReceivedV1, AlertResponseStatus } from '@app/contracts';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { DeliveryRecorder } from '../feed/delivery-recorder.service';
import { PoliceMetrics } from '../police.metrics';
import { AlertRepository, AlertResponse } from './alert.repository';
import { notFound } from './alerts.service';
import { AlertRespondDto } from './dto/alert-respond.dto';

/** ACKNOWLEDGED first, then one of the outcomes. */
export function responseProblem(given: AlertResponseStatus[], status: AlertResponseStatus): string | undefined {
  if (given.includes(status)) return `the unit already answered ${status}`;
  if (status === 'ACKNOWLEDGED') return undefined;
  if (!given.includes('ACKNOWLEDGED')) return `${status} needs an ACKNOWLEDGED answer first`;
  if (given.some((s) => s !== 'ACKNOWLEDGED')) return 'the unit already reported the outcome';
  return undefined;
}

/** Answers of units to alerts of other regions, and the raising region's record of who received and answered. */
@Injectable()
export class ResponsesService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly alerts: AlertRepository,
    private readonly publisher: BusPublisher,
    private readonly recorder: DeliveryRecorder,
    private readonly metrics: PoliceMetrics,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly replay: ReplayService,
  ) {}

  /** What other cities' units received and answered of this city's alerts. */
  onModuleInit(): void {
    this.replay.registerProjection(async (manager) => {
      await manager.query('delete from police_response where region <> $1', [this.config.region]);
      await manager.query('delete from police_receipt where region <> $1', [this.config.region]);
    });
  }

  async respond(principal: Principal, alertId: string, dto: AlertRespondDto): Promise<AlertResponse> {
    // Stream deliveries are recorded in batches: the caller's latest ones must count as received.
    await this.recorder.flush();
    const response = await this.dataSource.transaction(async (manager) => {
      const alert = await this.alerts.lock(manager, alertId);
      if (!alert) throw notFound(alertId);
      if (alert.origin === principal.region) {
        throw new DomainError(
          'POLICE.OWN_REGION_ALERT',
          'forbidden',
          'Units of the raising region do not acknowledge its alerts; units of the other regions do',
          { details: { alertId, origin: alert.origin } },
        );
      }
      if (!(await this.alerts.hasReceipt(manager, alertId, this.config.region, principal.org))) {
        throw new DomainError('POLICE.ALERT_NOT_RECEIVED', 'conflict', 'The unit was never delivered this alert', {
          details: { alertId, unit: principal.org },
        });
      }
      const given = (await this.alerts.responses(alertId, manager))
        .filter((r) => r.region === this.config.region && r.unit === principal.org)
        .map((r) => r.status);
      const problem = responseProblem(given, dto.status);
      if (problem) {
        throw new DomainError('POLICE.RESPONSE_OUT_OF_ORDER', 'conflict', `Cannot answer ${dto.status}: ${problem}`, {
          details: { alertId, given },
        });
      }
      const answer: AlertResponse = {
        region: this.config.region,
        unit: principal.org,
        status: dto.status,
        ...(dto.reason !== undefined && { reason: dto.reason }),
        at: this.clock.now().toISOString(),
      };
      await this.alerts.addResponse(manager, alertId, answer);
      const data: AlertAcknowledgedV1 = { alertId, unit: answer.unit, status: answer.status, at: answer.at };
      if (answer.reason !== undefined) data.reason = answer.reason;
      await this.publisher.publish(manager, ALERT_ACKNOWLEDGED_V1, `alert/${alertId}`, data, {
        target: alert.origin,
      });
      return answer;
    });
    this.metrics.acknowledged.inc({ status: response.status, direction: 'out' });
    return response;
  }

  /** In the raising region: an answer from a unit of `region`; the first acknowledgement stops the escalation clock. */
  async applyAnswer(manager: EntityManager, region: string, answer: AlertAcknowledgedV1): Promise<void> {
    const alert = await this.alerts.lock(manager, answer.alertId);
    if (!alert || alert.origin !== this.config.region || region === this.config.region) return;
    const firstFromAnotherRegion =
      answer.status === 'ACKNOWLEDGED' &&
      !(await this.alerts.responses(answer.alertId, manager)).some(
        (r) => r.status === 'ACKNOWLEDGED' && r.region !== this.config.region,
      );
    const added = await this.alerts.addResponse(manager, answer.alertId, {
      region,
      unit: answer.unit,
      status: answer.status,
      ...(answer.reason !== undefined && { reason: answer.reason }),
      at: answer.at,
    });
    if (!added) return;
    this.metrics.acknowledged.inc({ status: answer.status, direction: 'in' });
    if (firstFromAnotherRegion) {
      await this.alerts.clearDeadline(manager, answer.alertId);
      this.metrics.timeToAcknowledge.observe((Date.parse(answer.at) - Date.parse(alert.state.raisedAt)) / 1000);
    }
  }

  /** In the raising region: units of `region` that received an alert. */
  async applyReceipts(manager: EntityManager, region: string, received: AlertReceivedV1): Promise<void> {
    await this.alerts.addReceipts(
      manager,
      received.alertId,
      region,
      received.receipts.map((r) => ({ region, unit: r.unit, receivedAt: r.receivedAt })),
    );
  }
}
