import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { LabReportCancelledV1, LabReportV1 } from '@app/contracts';
import { Clock } from '@app/platform';
import { LabConsentService } from '../consent/lab-consent.service';
import { LabMetrics } from '../lab-results.metrics';
import { ReportsRepository } from './reports.repository';

/**
 * Reports a peer sent here. The issuing city sends only under the patient's consent; the consent event travels on
 * another topic and may come later, so a report is refused only when this node already knows the consent was
 * revoked and none is active (the reuse query checks consent again at every read).
 */
@Injectable()
export class ReportsProjectionService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly consent: LabConsentService,
    private readonly metrics: LabMetrics,
    private readonly replay: ReplayService,
    private readonly reports: ReportsRepository,
  ) {}

  /** A rebuild empties the peers' reports sent here; what this city issued itself stays. */
  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.reports.deleteAllBut(manager, this.config.region));
  }

  /** A report version from a peer: kept if newer than the one held (events of one patient arrive in order). */
  async store(manager: EntityManager, origin: string, report: LabReportV1): Promise<void> {
    await this.consent.lockPatient(manager, origin, report.patient);
    if (await this.consent.knownRevoked(manager, origin, report.patient, this.clock.now())) {
      this.metrics.reportsReceived.inc({ origin, outcome: 'refused' });
      return;
    }
    const stored = await this.reports.upsertNewer(manager, origin, report);
    if (stored) await this.reports.writeItems(manager, origin, report);
    this.metrics.reportsReceived.inc({ origin, outcome: stored ? 'stored' : 'stale' });
  }

  async storeCancelled(manager: EntityManager, origin: string, cancellation: LabReportCancelledV1): Promise<void> {
    await this.reports.cancel(manager, origin, cancellation);
  }
}
