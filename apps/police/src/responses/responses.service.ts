import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import { ALERT_ACKNOWLEDGED_V1, AlertAcknowledgedV1, AlertResponseStatus } from '@app/contracts';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { alertNotFound } from '../alerts/alert.errors';
import { AlertRepository } from '../alerts/alert.repository';
import { PoliceMetrics } from '../police.metrics';
import { AlertRespondDto } from './dto/alert-respond.dto';
import { AlertResponse, ResponseRepository } from './response.repository';

/** ACKNOWLEDGED first, then one of the outcomes. */
export function responseProblem(given: AlertResponseStatus[], status: AlertResponseStatus): string | undefined {
  if (given.includes(status)) return `the unit already answered ${status}`;
  if (status === 'ACKNOWLEDGED') return undefined;
  if (!given.includes('ACKNOWLEDGED')) return `${status} needs an ACKNOWLEDGED answer first`;
  if (given.some((s) => s !== 'ACKNOWLEDGED')) return 'the unit already reported the outcome';
  return undefined;
}

/** Answers of this region's units to alerts of other regions, sent to the raising region. */
@Injectable()
export class ResponsesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly alerts: AlertRepository,
    private readonly responses: ResponseRepository,
    private readonly publisher: BusPublisher,
    private readonly metrics: PoliceMetrics,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async respond(principal: Principal, alertId: string, dto: AlertRespondDto): Promise<AlertResponse> {
    const response = await this.dataSource.transaction(async (manager) => {
      const alert = await this.alerts.lock(manager, alertId);
      if (!alert) throw alertNotFound(alertId);
      if (alert.origin === principal.region) {
        throw new DomainError(
          'POLICE.OWN_REGION_ALERT',
          'forbidden',
          'Units of the raising region do not acknowledge its alerts; units of the other regions do',
          { details: { alertId, origin: alert.origin } },
        );
      }
      if (!(await this.responses.hasReceipt(manager, alertId, this.config.region, principal.org))) {
        throw new DomainError('POLICE.ALERT_NOT_RECEIVED', 'conflict', 'The unit was never delivered this alert', {
          details: { alertId, unit: principal.org },
        });
      }
      const given = (await this.responses.responses(manager, alertId))
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
      await this.responses.addResponse(manager, alertId, answer);
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
}
