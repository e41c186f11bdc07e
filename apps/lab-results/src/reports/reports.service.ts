import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  LAB_REPORT_AMENDED_V1,
  LAB_REPORT_CANCELLED_V1,
  LAB_REPORT_ISSUED_V1,
  LabReportCancelledV1,
  LabReportStatus,
  LabReportV1,
} from '@app/contracts';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { CatalogueQueriesService } from '../catalogue/catalogue-queries.service';
import { LabConsentService } from '../consent/lab-consent.service';
import { LabMetrics } from '../lab-results.metrics';
import { ReportCancelDto, ReportContentDto, ReportIssueDto } from './dto/report-issue.dto';
import { ReportRow, ReportsRepository } from './reports.repository';

/** A report time this far ahead of the clock is still accepted (the LIS's clock may run a little fast). */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export interface PublishedReport {
  reportId: string;
  version: number;
  status: LabReportStatus;
  patient: string;
  /** The peers the version was sent to (those the patient consented to share with). */
  sentTo: string[];
}

/**
 * The reports this city's HIS issue, amend and cancel: the issuing city is the authority for its reports and their
 * versions, and sends each version to the peers the patient consented to share with.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: BusPublisher,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly catalogue: CatalogueQueriesService,
    private readonly consent: LabConsentService,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly metrics: LabMetrics,
    private readonly reports: ReportsRepository,
  ) {}

  async issue(principal: Principal, dto: ReportIssueDto): Promise<PublishedReport> {
    const patient = this.pseudonymizer.of(dto.residentId);
    return this.dataSource.transaction(async (manager) => {
      await this.checkContent(manager, dto);
      const report = snapshot(dto.reportId, 1, patient, principal.org, dto, 'final');
      if (!(await this.reports.insertFirst(manager, this.config.region, { ...report, ...asSent(dto) }))) {
        throw new DomainError('LAB.REPORT_EXISTS', 'conflict', `report ${dto.reportId} exists; amend it instead`);
      }
      await this.reports.writeItems(manager, this.config.region, report);
      const sentTo = await this.share(manager, LAB_REPORT_ISSUED_V1, report);
      return { reportId: dto.reportId, version: 1, status: 'final', patient, sentTo };
    });
  }

  async amend(principal: Principal, reportId: string, dto: ReportContentDto): Promise<PublishedReport> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.ownReportForUpdate(manager, principal, reportId);
      await this.checkContent(manager, dto);
      const version = current.version + 1;
      const report = snapshot(reportId, version, current.patient, current.hospital, dto, 'amended');
      await this.reports.amend(manager, this.config.region, { ...report, ...asSent(dto) });
      await this.reports.writeItems(manager, this.config.region, report);
      const sentTo = await this.share(manager, LAB_REPORT_AMENDED_V1, report);
      return { reportId, version, status: 'amended', patient: current.patient, sentTo };
    });
  }

  async cancel(principal: Principal, reportId: string, dto: ReportCancelDto): Promise<PublishedReport> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.ownReportForUpdate(manager, principal, reportId);
      const cancellation: LabReportCancelledV1 = {
        reportId,
        version: current.version + 1,
        patient: current.patient,
        cancelledAt: this.clock.now().toISOString(),
        reason: dto.reason,
      };
      await this.reports.cancel(manager, this.config.region, cancellation);
      const targets = await this.consent.shareTargets(manager, current.patient, this.clock.now());
      await this.publisher.publishMany(
        manager,
        targets.map((target) => ({
          type: LAB_REPORT_CANCELLED_V1,
          subject: current.patient,
          data: cancellation,
          options: { target },
        })),
      );
      for (const target of targets) this.metrics.reportsSent.inc({ target, type: 'cancelled' });
      return {
        reportId,
        version: cancellation.version,
        status: 'cancelled',
        patient: current.patient,
        sentTo: targets,
      };
    });
  }

  /** Sends a report version to every peer the patient consented to share with, as directed events. */
  private async share(
    manager: EntityManager,
    type: typeof LAB_REPORT_ISSUED_V1 | typeof LAB_REPORT_AMENDED_V1,
    report: LabReportV1,
  ) {
    const targets = await this.consent.shareTargets(manager, report.patient, this.clock.now());
    await this.publisher.publishMany(
      manager,
      targets.map((target) => ({ type, subject: report.patient, data: report, options: { target } })),
    );
    for (const target of targets) this.metrics.reportsSent.inc({ target, type: report.status });
    if (targets.length === 0) this.metrics.reportsWithheld.inc();
    return targets;
  }

  private async ownReportForUpdate(manager: EntityManager, principal: Principal, reportId: string): Promise<ReportRow> {
    const row = await this.reports.findForUpdate(manager, this.config.region, reportId);
    if (!row) throw new DomainError('LAB.REPORT_NOT_FOUND', 'not-found', `no report ${reportId} issued here`);
    if (row.hospital !== principal.org) {
      throw new DomainError('LAB.NOT_YOUR_REPORT', 'forbidden', `report ${reportId} was issued by another hospital`);
    }
    if (row.status === 'cancelled') {
      throw new DomainError('LAB.REPORT_CANCELLED', 'conflict', `report ${reportId} is cancelled`);
    }
    return row;
  }

  /** What the catalogue and the calendar say about a report's content, beyond the shape the DTO checks. */
  private async checkContent(manager: EntityManager, content: ReportContentDto): Promise<void> {
    const collected = new Date(content.collectedAt);
    const reported = new Date(content.reportedAt);
    if (collected > reported) {
      throw new DomainError('LAB.COLLECTED_AFTER_REPORT', 'invalid', 'collectedAt is after reportedAt');
    }
    if (reported.getTime() > this.clock.now().getTime() + FUTURE_TOLERANCE_MS) {
      throw new DomainError('LAB.REPORTED_IN_FUTURE', 'invalid', 'reportedAt is in the future');
    }
    const codes = content.items.map((item) => item.code);
    const duplicates = codes.filter((code, i) => codes.indexOf(code) !== i);
    if (duplicates.length > 0) {
      throw new DomainError(
        'LAB.DUPLICATE_TEST_CODE',
        'invalid',
        `items list ${[...new Set(duplicates)].join(', ')} twice`,
      );
    }
    const local = await this.catalogue.localInForce(this.clock.now(), manager);
    const unknown = codes.filter((code) => !local?.items.has(code));
    if (unknown.length > 0) {
      throw new DomainError(
        'LAB.UNKNOWN_TEST_CODE',
        'invalid',
        `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in ${this.config.region}'s catalogue`,
      );
    }
    for (const item of content.items) {
      const unit = local!.items.get(item.code)!.unit;
      if (item.value === undefined || unit === undefined) continue;
      if (item.unit === undefined) {
        throw new DomainError('LAB.UNIT_REQUIRED', 'invalid', `${item.code} has a value without its unit (${unit})`);
      }
      if (item.unit !== unit) {
        throw new DomainError('LAB.UNIT_MISMATCH', 'invalid', `${item.code} is reported in ${unit}, not ${item.unit}`);
      }
    }
  }
}

/** The report's times as the HIS sent them: PostgreSQL reads them into its columns. */
function asSent(content: ReportContentDto): Pick<LabReportV1, 'collectedAt' | 'reportedAt'> {
  return { collectedAt: content.collectedAt, reportedAt: content.reportedAt };
}

function snapshot(
  reportId: string,
  version: number,
  patient: string,
  hospital: string,
  content: ReportContentDto,
  status: 'final' | 'amended',
): LabReportV1 {
  return {
    reportId,
    version,
    patient,
    labId: content.labId,
    labName: content.labName,
    hospital,
    specimen: content.specimen,
    collectedAt: new Date(content.collectedAt).toISOString(),
    reportedAt: new Date(content.reportedAt).toISOString(),
    status,
    items: content.items.map((item) => ({ ...item })),
  };
}
