import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LabReportCancelledV1, LabReportStatus, LabReportV1 } from '@app/contracts';

/** A report's latest version as this node holds it (`region`: the issuing city). */
export interface ReportRow {
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
  cancelled_at: Date | null;
  cancel_reason: string | null;
}

/** One result of a report; `patient` and `collected_at` are copied from the report for the reuse query's index. */
export interface ReportItemRow {
  region: string;
  report_id: string;
  patient: string;
  collected_at: Date;
  code: string;
  name: string;
  value: number | null;
  result_text: string | null;
  unit: string | null;
  reference_range: string | null;
  abnormal: boolean;
  /** The report's latest version no longer carries this item. */
  withdrawn: boolean;
}

/** The content of a report version that its row holds (the items aside). */
export type ReportHeader = Pick<
  LabReportV1,
  'reportId' | 'version' | 'patient' | 'labId' | 'labName' | 'hospital' | 'specimen' | 'collectedAt' | 'reportedAt'
>;

/** Lab reports and their items: this city's own (region = this region) and those peers sent here. */
@Injectable()
export class ReportsRepository {
  /** Inserts version 1 of a report; false when the report exists already. */
  async insertFirst(manager: EntityManager, region: string, report: ReportHeader): Promise<boolean> {
    const inserted = await manager.query<unknown[]>(
      `insert into lab_report (region, report_id, version, patient, lab_id, lab_name, hospital, specimen,
                               collected_at, reported_at, status)
       values ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, 'final') on conflict do nothing returning version`,
      [
        region,
        report.reportId,
        report.patient,
        report.labId,
        report.labName,
        report.hospital,
        report.specimen,
        report.collectedAt,
        report.reportedAt,
      ],
    );
    return inserted.length > 0;
  }

  /** Writes an amendment of a report held here (its patient and hospital stay). */
  async amend(manager: EntityManager, region: string, report: ReportHeader): Promise<void> {
    await manager.query(
      `update lab_report set version = $3, lab_id = $4, lab_name = $5, specimen = $6, collected_at = $7,
                             reported_at = $8, status = 'amended'
        where region = $1 and report_id = $2`,
      [
        region,
        report.reportId,
        report.version,
        report.labId,
        report.labName,
        report.specimen,
        report.collectedAt,
        report.reportedAt,
      ],
    );
  }

  /** A report version from a peer: kept if newer than the one held and of the same patient; false otherwise. */
  async upsertNewer(manager: EntityManager, region: string, report: LabReportV1): Promise<boolean> {
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
        region,
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
    return stored.length > 0;
  }

  /** Marks a report cancelled, unless the version held is the cancellation's or later (or of another patient). */
  async cancel(manager: EntityManager, region: string, cancellation: LabReportCancelledV1): Promise<void> {
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

  /** The items of a report's latest version; an item the version no longer carries is kept, marked withdrawn. */
  async writeItems(manager: EntityManager, region: string, report: LabReportV1): Promise<void> {
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

  async findForUpdate(manager: EntityManager, region: string, reportId: string): Promise<ReportRow | undefined> {
    const [row] = await manager.query<ReportRow[]>(
      'select * from lab_report where region = $1 and report_id = $2 for update',
      [region, reportId],
    );
    return row;
  }

  async find(manager: EntityManager, region: string, reportId: string): Promise<ReportRow | undefined> {
    const [row] = await manager.query<ReportRow[]>('select * from lab_report where region = $1 and report_id = $2', [
      region,
      reportId,
    ]);
    return row;
  }

  /** A patient's reports issued in `region` that are not cancelled, oldest collection first. */
  async activeOfPatient(manager: EntityManager, region: string, patient: string): Promise<ReportRow[]> {
    return manager.query<ReportRow[]>(
      `select * from lab_report where region = $1 and patient = $2 and status <> 'cancelled' order by collected_at`,
      [region, patient],
    );
  }

  /** The items a report's latest version carries. */
  async currentItems(manager: EntityManager, region: string, reportId: string): Promise<ReportItemRow[]> {
    return manager.query<ReportItemRow[]>(
      `select * from lab_report_item where region = $1 and report_id = $2 and not withdrawn order by code`,
      [region, reportId],
    );
  }

  /** Deletes what `region` sent about a patient; the number of reports deleted. */
  async deletePatient(manager: EntityManager, region: string, patient: string): Promise<number> {
    // TypeORM answers a delete with [rows, affected].
    const [, deleted] = await manager.query<[unknown[], number]>(
      'delete from lab_report where region = $1 and patient = $2',
      [region, patient],
    );
    return deleted;
  }

  /** Deletes every report but those issued in `region` (their items go with them). */
  async deleteAllBut(manager: EntityManager, region: string): Promise<void> {
    await manager.query('delete from lab_report where region <> $1', [region]);
  }
}
