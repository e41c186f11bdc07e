import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import { AFFAIRS_CASE_CLOCK_ALERTED_V1 } from '@app/contracts';
import { Clock } from '@app/platform';
import { PeriodicTask } from '@app/runtime';
import { AffairsMetrics } from '../affairs.metrics';
import { ApplicationRepository } from '../applications/application.repository';
import { CaseRepository } from '../cases/case.repository';

const TICK_MS = 500;
const CLAIM = 50;

/**
 * Warns the supervising office when a case this city handles reaches 80 % of its time limit and escalates it when
 * overdue, as police escalates alerts: each due alert is a row, taken by deleting it in the transaction that
 * flags the case, records the alert and publishes it to the filing city, so each fires exactly once whatever
 * crashes or restarts and however many instances run. A pause (补正) deletes the rows; resuming re-creates them.
 */
@Injectable()
export class ClockAlertScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ClockAlertScheduler.name);
  private readonly task = new PeriodicTask({
    name: 'clock alert pass',
    intervalMs: TICK_MS,
    run: () => this.runDue(),
    logger: this.logger,
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly cases: CaseRepository,
    private readonly applications: ApplicationRepository,
    private readonly publisher: BusPublisher,
    private readonly metrics: AffairsMetrics,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One pass over the due alerts; returns the `<applicationId>:<kind>` of those it raised. */
  async runDue(): Promise<string[]> {
    const now = this.clock.now();
    const raised: string[] = [];
    for (const { application_id: applicationId, kind } of await this.cases.dueDeadlines(
      this.dataSource.manager,
      now,
      CLAIM,
    )) {
      const fired = await this.dataSource.transaction(async (manager) => {
        const row = await this.cases.get(manager, applicationId, true);
        if (!row || !(await this.cases.takeDeadline(manager, applicationId, kind, now))) return false;
        if (row.deadline === null || (kind === 'warning' ? row.warned : row.escalated)) return false;
        await this.cases.markAlerted(manager, applicationId, kind);
        const alert = { applicationId, kind, deadline: row.deadline, at: now.toISOString() };
        await this.applications.recordClockAlert(manager, { ...alert, handlingRegion: this.config.region, at: now });
        if (row.filing_region !== this.config.region) {
          await this.publisher.publish(manager, AFFAIRS_CASE_CLOCK_ALERTED_V1, applicationId, alert, {
            target: row.filing_region,
          });
        }
        return true;
      });
      if (fired) {
        this.metrics.clockAlerts.inc({ kind });
        raised.push(`${applicationId}:${kind}`);
      }
    }
    return raised;
  }
}
