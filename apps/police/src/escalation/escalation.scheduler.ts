import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@app/platform';
import { PeriodicTask } from '@app/runtime';
import { AlertRepository } from '../alerts/alert.repository';
import { AlertsService } from '../alerts/alerts.service';
import { PoliceCatalogue } from '../catalogue/police-catalogue';
import { PoliceMetrics } from '../police.metrics';
import { escalate } from './escalation.rules';

const TICK_MS = 500;
const CLAIM = 50;

/**
 * Escalates alerts of this region that no unit of another region acknowledged in time. The deadline is a row,
 * so a restart loses no wait; a due row is taken by deleting it, and the escalation, its outbox event and the
 * row's deletion commit together (under the alert's lock), so each alert escalates exactly once whatever crashes
 * and however many instances run.
 */
@Injectable()
export class EscalationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EscalationScheduler.name);
  private readonly task = new PeriodicTask({
    name: 'escalation pass',
    intervalMs: TICK_MS,
    run: () => this.runDue(),
    logger: this.logger,
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly alerts: AlertRepository,
    private readonly alertsService: AlertsService,
    private readonly catalogue: PoliceCatalogue,
    private readonly metrics: PoliceMetrics,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One pass over the due deadlines; returns the ids of the alerts it escalated. */
  async runDue(): Promise<string[]> {
    const now = this.clock.now();
    const escalated: string[] = [];
    for (const alertId of await this.alerts.dueDeadlines(this.dataSource.manager, now, CLAIM)) {
      const severity = await this.dataSource.transaction(async (manager) => {
        const alert = await this.alerts.lock(manager, alertId);
        if (!alert || !(await this.alerts.takeDueDeadline(manager, alertId, now))) return undefined;
        // Closed, cancelled or expired: the alert needs no one any more.
        if (alert.state.status !== 'ACTIVE' || alert.state.escalation) return undefined;
        if (Date.parse(alert.state.expiresAt) <= now.getTime()) return undefined;
        const state = escalate(this.catalogue, alert.state, now);
        await this.alerts.upsert(manager, alert.origin, state);
        await this.alertsService.publishChange(manager, 'escalated', state);
        return alert.state.severity;
      });
      if (severity !== undefined) {
        this.metrics.escalated.inc({ severity });
        escalated.push(alertId);
      }
    }
    return escalated;
  }
}
