import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import { ConsentService, coveredRegions } from '@app/consent';
import {
  ConsentGrantedV1,
  ConsentRevokedV1,
  LAB_REPORT_AMENDED_V1,
  LAB_REPORT_ISSUED_V1,
  LabReportV1,
} from '@app/contracts';
import { Clock } from '@app/platform';
import { ConsentProjectionService } from '../consent/consent-projection.service';
import { LAB_PURPOSE } from '../consent/lab-consent.service';
import { LabMetrics } from '../lab-results.metrics';
import { ReportItemRow, ReportRow, ReportsRepository } from './reports.repository';

/**
 * What a change of a patient's consent does to the reports: a new consent here sends the patient's existing reports
 * to its grantees; a revocation from a peer purges what that peer sent of the patient.
 */
@Injectable()
export class ReportsSharingService {
  constructor(
    private readonly publisher: BusPublisher,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly consents: ConsentService,
    private readonly consentProjection: ConsentProjectionService,
    private readonly metrics: LabMetrics,
    private readonly reports: ReportsRepository,
  ) {}

  /**
   * When a patient of this city consents after reports were issued here, the latest version of each (cancelled
   * ones aside) goes to the new grantees, so that continuity of care covers the results they already have.
   */
  async shareWhenGranted(manager: EntityManager, origin: string, grant: ConsentGrantedV1): Promise<void> {
    const changed = await this.consentProjection.applyGrant(manager, origin, grant);
    if (!changed || origin !== this.config.region) return;
    const consent = await this.consents.find(manager, origin, grant.consentId);
    const targets = coveredRegions(consent ? [consent] : [], this.config.peers, LAB_PURPOSE, this.clock.now());
    if (targets.length === 0) return;
    for (const row of await this.reports.activeOfPatient(manager, this.config.region, grant.patient)) {
      const items = await this.reports.currentItems(manager, this.config.region, row.report_id);
      const report = rowSnapshot(row, items);
      await this.publisher.publishMany(
        manager,
        targets.map((target) => ({
          type: row.version === 1 ? LAB_REPORT_ISSUED_V1 : LAB_REPORT_AMENDED_V1,
          subject: grant.patient,
          data: report,
          options: { target },
        })),
      );
      for (const target of targets) this.metrics.reportsSent.inc({ target, type: row.status });
    }
  }

  /** When a peer's patient revokes the consent that let reports cross, forgets what that peer sent of the patient. */
  async purgeWhenRevoked(manager: EntityManager, origin: string, revocation: ConsentRevokedV1): Promise<void> {
    const changed = await this.consentProjection.applyRevocation(manager, origin, revocation);
    if (!changed || origin === this.config.region) return;
    const purgeable = await this.consents.patientsPurgeable(manager, {
      patients: [revocation.patient],
      home: origin,
      region: this.config.region,
      purpose: LAB_PURPOSE,
      at: this.clock.now(),
    });
    if (purgeable.length === 0) return;
    const deleted = await this.reports.deletePatient(manager, origin, revocation.patient);
    this.metrics.purged.inc({ origin }, deleted);
  }
}

function rowSnapshot(row: ReportRow, items: ReportItemRow[]): LabReportV1 {
  return {
    reportId: row.report_id,
    version: row.version,
    patient: row.patient,
    labId: row.lab_id,
    labName: row.lab_name,
    hospital: row.hospital,
    specimen: row.specimen,
    collectedAt: row.collected_at.toISOString(),
    reportedAt: row.reported_at.toISOString(),
    status: row.status === 'final' ? 'final' : 'amended',
    items: items.map((item) => ({
      code: item.code,
      name: item.name,
      ...(item.value !== null && { value: item.value }),
      ...(item.result_text !== null && { resultText: item.result_text }),
      ...(item.unit !== null && { unit: item.unit }),
      ...(item.reference_range !== null && { referenceRange: item.reference_range }),
      abnormal: item.abnormal,
    })),
  };
}
