import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, Pseudonymizer, ReplayService } from '@app/bus';
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
import { CatalogueService } from '../catalogue/catalogue.service';
import { LabConsentService } from '../consent/lab-consent.service';
import { LabMetrics } from '../lab.metrics';
import { ReportCancelDto, ReportContentDto, ReportIssueDto } from './dto/report-issue.dto';

/** A report time this far ahead of the clock is still accepted (the LIS's clock may run a little fast). */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

interface ReportRow {
  region: string;
  report_id: string;
  version: number;
  patient: string;
  lab_id: string;
  lab_name: string;
  hospital: string;
  specimen: string;
  collected_at: Date;
  reported_at: Date;
  status: LabReportStatus;
}

interface ItemRow {
  code: string;
  name: string;
  value: number | null;
  result_text: string | null;
  unit: string | null;
  reference_range: string | null;
  abnormal: boolean;
}

export interface PublishedReport {
  reportId: string;
  version: number;
  status: LabReportStatus;
  patient: string;
  /** The peers the version was sent to (those the patient consented to share with). */
  sentTo: string[];
}

/**
 * Lab reports: the ones this city's HIS issue (the issuing city is the authority for its reports and their
 * versions) and the ones peers sent here under the patient's consent. The latest version is the one that counts.
 */
@Injectable()
export class ReportsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: BusPublisher,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly catalogue: CatalogueService,
    private readonly consent: LabConsentService,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly metrics: LabMetrics,
    private readonly replay: ReplayService,
  ) {}

  /** The peers' reports sent here; what this city issued itself stays. */
  onModuleInit(): void {
    this.replay.registerProjection(async (manager) => {
      await manager.query('delete from lab_report where region <> $1', [this.config.region]);
    });
  }

  async issue(principal: Principal, dto: ReportIssueDto): Promise<PublishedReport> {
    const patient = this.pseudonymizer.of(dto.residentId);
    return this.dataSource.transaction(async (manager) => {
      await this.checkContent(manager, dto);
      const inserted = await manager.query<unknown[]>(
        `insert into lab_report (region, report_id, version, patient, lab_id, lab_name, hospital, specimen,
                                 collected_at, reported_at, status)
         values ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, 'final') on conflict do nothing returning version`,
        [
          this.config.region,
          dto.reportId,
          patient,
          dto.labId,
          dto.labName,
          principal.org,
          dto.specimen,
          dto.collectedAt,
          dto.reportedAt,
        ],
      );
      if (inserted.length === 0) {
        throw new DomainError('LAB.REPORT_EXISTS', 'conflict', `report ${dto.reportId} exists; amend it instead`);
      }
      const report = snapshot(dto.reportId, 1, patient, principal.org, dto, 'final');
      await this.writeItems(manager, this.config.region, report);
      const sentTo = await this.share(manager, LAB_REPORT_ISSUED_V1, report);
      return { reportId: dto.reportId, version: 1, status: 'final', patient, sentTo };
    });
  }

  async amend(principal: Principal, reportId: string, dto: ReportContentDto): Promise<PublishedReport> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.ownReportForUpdate(manager, principal, reportId);
      await this.checkContent(manager, dto);
      const version = current.version + 1;
      await manager.query(
        `update lab_report set version = $3, lab_id = $4, lab_name = $5, specimen = $6, collected_at = $7,
                               reported_at = $8, status = 'amended'
          where region = $1 and report_id = $2`,
        [this.config.region, reportId, version, dto.labId, dto.labName, dto.specimen, dto.collectedAt, dto.reportedAt],
      );
      const report = snapshot(reportId, version, current.patient, current.hospital, dto, 'amended');
      await this.writeItems(manager, this.config.region, report);
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
      await this.storeCancelled(manager, this.config.region, cancellation);
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

  /** A report version from a peer: kept if newer than the one held (events of one patient arrive in order). */
  async storeReceived(manager: EntityManager, origin: string, report: LabReportV1): Promise<boolean> {
    const stored = await manager.query<unknown[]>(
      `insert into lab_report (region, report_id, version, patient, lab_id, lab_name, hospital, specimen,
                               collected_at, reported_at, status)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       on conflict (region, report_id) do update set
         version = excluded.version, lab_id = excluded.lab_id, lab_name = excluded.lab_name,
         specimen = excluded.specimen, collected_at = excluded.collected_at, reported_at = excluded.reported_at,
         status = excluded.status
       where lab_report.version < excluded.version and lab_report.patient = excluded.patient
       returning version`,
      [
        origin,
        report.reportId,
        report.version,
        report.patient,
        report.labId,
        report.labName,
        report.hospital,
        report.specimen,
        report.collectedAt,
        report.reportedAt,
        report.status,
      ],
    );
    if (stored.length === 0) return false;
    await this.writeItems(manager, origin, report);
    return true;
  }

  async storeCancelled(manager: EntityManager, region: string, cancellation: LabReportCancelledV1): Promise<void> {
    await manager.query(
      `update lab_report set version = $3, status = 'cancelled', cancelled_at = $4, cancel_reason = $5
        where region = $1 and report_id = $2 and version < $3 and patient = $6`,
      [
        region,
        cancellation.reportId,
        cancellation.version,
        cancellation.cancelledAt,
        cancellation.reason,
        cancellation.patient,
      ],
    );
  }

  /**
   * When a patient consents after reports were issued here, the latest version of each (cancelled ones aside) goes
   * to the new grantees, so that continuity of care covers the results they already have.
   */
  async shareExisting(manager: EntityManager, patient: string, targets: string[]): Promise<number> {
    if (targets.length === 0) return 0;
    const reports = await manager.query<ReportRow[]>(
      `select * from lab_report where region = $1 and patient = $2 and status <> 'cancelled' order by collected_at`,
      [this.config.region, patient],
    );
    for (const row of reports) {
      const items = await manager.query<ItemRow[]>(
        `select * from lab_report_item where region = $1 and report_id = $2 and not withdrawn order by code`,
        [this.config.region, row.report_id],
      );
      const report = rowSnapshot(row, items);
      await this.publisher.publishMany(
        manager,
        targets.map((target) => ({
          type: row.version === 1 ? LAB_REPORT_ISSUED_V1 : LAB_REPORT_AMENDED_V1,
          subject: patient,
          data: report,
          options: { target },
        })),
      );
      for (const target of targets) this.metrics.reportsSent.inc({ target, type: row.status });
    }
    return reports.length;
  }

  /** Forgets what `origin` sent about a patient (the consent that let it cross was revoked). */
  async purge(manager: EntityManager, origin: string, patient: string): Promise<number> {
    const deleted = await manager.query<unknown[]>(
      'delete from lab_report where region = $1 and patient = $2 returning report_id',
      [origin, patient],
    );
    this.metrics.purged.inc({ origin }, deleted.length);
    return deleted.length;
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

  private async ownReportForUpdate(manager: EntityManager, principal: Principal, reportId: string) {
    const [row] = await manager.query<ReportRow[]>(
      'select * from lab_report where region = $1 and report_id = $2 for update',
      [this.config.region, reportId],
    );
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

  /** The items of a report's latest version; an item the version no longer carries is kept, marked withdrawn. */
  private async writeItems(manager: EntityManager, region: string, report: LabReportV1) {
    const { items } = report;
    await manager.query(
      `update lab_report_item set withdrawn = not (code = any($3)), collected_at = $4
        where region = $1 and report_id = $2`,
      [region, report.reportId, items.map((item) => item.code), report.collectedAt],
    );
    await manager.query(
      `insert into lab_report_item (region, report_id, patient, collected_at, code, name, value, result_text, unit,
                                    reference_range, abnormal)
       select $1, $2, $3, $4, *
         from unnest($5::text[], $6::text[], $7::float8[], $8::text[], $9::text[], $10::text[], $11::bool[])
       on conflict (region, report_id, code) do update set
         name = excluded.name, value = excluded.value, result_text = excluded.result_text, unit = excluded.unit,
         reference_range = excluded.reference_range, abnormal = excluded.abnormal, withdrawn = false`,
      [
        region,
        report.reportId,
        report.patient,
        report.collectedAt,
        items.map((item) => item.code),
        items.map((item) => item.name),
        items.map((item) => item.value ?? null),
        items.map((item) => item.resultText ?? null),
        items.map((item) => item.unit ?? null),
        items.map((item) => item.referenceRange ?? null),
        items.map((item) => item.abnormal),
      ],
    );
  }
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

function rowSnapshot(row: ReportRow, items: ItemRow[]): LabReportV1 {
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
