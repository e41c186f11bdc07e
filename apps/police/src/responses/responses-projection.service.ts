import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { AlertAcknowledgedV1, AlertReceivedV1 } from '@app/contracts';
import { AlertRepository } from '../alerts/alert.repository';
import { PoliceMetrics } from '../police.metrics';
import { ResponseRepository } from './response.repository';

/** In the raising region: who of the other regions received its alerts and what they answered. */
@Injectable()
export class ResponsesProjectionService implements OnModuleInit {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly responses: ResponseRepository,
    private readonly metrics: PoliceMetrics,
    private readonly config: AppConfig,
    private readonly replay: ReplayService,
  ) {}

  /** What other cities' units received and answered of this city's alerts. */
  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.responses.deletePeers(manager, this.config.region));
  }

  /** An answer from a unit of `region`; the first acknowledgement stops the escalation clock. */
  async applyAnswer(manager: EntityManager, region: string, answer: AlertAcknowledgedV1): Promise<void> {
    const alert = await this.alerts.lock(manager, answer.alertId);
    if (!alert || alert.origin !== this.config.region || region === this.config.region) return;
    const firstFromAnotherRegion =
      answer.status === 'ACKNOWLEDGED' &&
      !(await this.responses.responses(manager, answer.alertId)).some(
        (r) => r.status === 'ACKNOWLEDGED' && r.region !== this.config.region,
      );
    const added = await this.responses.addResponse(manager, answer.alertId, {
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

  /** Units of `region` that received an alert. */
  async applyReceipts(manager: EntityManager, region: string, received: AlertReceivedV1): Promise<void> {
    await this.responses.addReceipts(
      manager,
      received.alertId,
      region,
      received.receipts.map((r) => ({ region, unit: r.unit, receivedAt: r.receivedAt })),
    );
  }
}
