import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AccessReportService } from '@app/audit';
import { Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { HealthDocumentV1 } from '@app/contracts';
import { ConsentService } from '@app/consent';
import { DomainError, Principal, actorOf } from '@app/http';
import { Clock } from '@app/platform';
import { HealthMetrics } from '../health-records.metrics';
import { ReplicaRow, SharingRepository } from './sharing.repository';

/** Another city's document as this city's clinicians read it. */
export interface SharedDocumentView extends HealthDocumentV1 {
  home: string;
}

/**
 * This city's clinicians read other cities' documents from this database alone, each read written to the
 * hash-chained access log and reported to the patient's home city.
 */
@Injectable()
export class SharedRecordsQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly consents: ConsentService,
    private readonly accessReports: AccessReportService,
    private readonly metrics: HealthMetrics,
    private readonly repository: SharingRepository,
  ) {}

  /** A clinician of this city lists another city's patient's documents. */
  async list(principal: Principal, residentId: string, purpose: string): Promise<SharedDocumentView[]> {
    const patient = this.pseudonyms.of(residentId);
    return this.dataSource.transaction(async (manager) => {
      const rows = await this.repository.activeReplicasOfPatient(manager, patient);
      if (rows.length === 0) {
        throw new DomainError(
          'HEALTH.PATIENT_NOT_FOUND',
          'not-found',
          `no other city shares records of this patient with ${this.config.region}`,
        );
      }
      const visible = await this.withConsent(manager, rows, purpose);
      await this.recordAccess(manager, principal, purpose, patient, visible, 'health.record.list');
      return visible.map(toView);
    });
  }

  /** A clinician of this city reads one of another city's documents. */
  async read(principal: Principal, documentId: string, purpose: string): Promise<SharedDocumentView> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await this.repository.activeReplicas(manager, documentId);
      if (rows.length === 0) {
        throw new DomainError('HEALTH.DOCUMENT_NOT_FOUND', 'not-found', `no shared document ${documentId}`);
      }
      const visible = await this.withConsent(manager, rows, purpose);
      await this.recordAccess(manager, principal, purpose, visible[0].patient, visible, 'health.record.read');
      return toView(visible[0]);
    });
  }

  /** The rows whose home city's consent covers this city and the stated purpose now; 403 when none is. */
  private async withConsent(manager: EntityManager, rows: ReplicaRow[], purpose: string): Promise<ReplicaRow[]> {
    const homes = [...new Set(rows.map((row) => row.home))];
    const allowed = new Set<string>();
    for (const home of homes) {
      const consented = await this.consents.isActive(manager, {
        patient: rows[0].patient,
        home,
        region: this.config.region,
        purpose,
        at: this.clock.now(),
      });
      if (consented) allowed.add(home);
    }
    const visible = rows.filter((row) => allowed.has(row.home));
    if (visible.length === 0) {
      throw new DomainError(
        'HEALTH.NO_CONSENT',
        'forbidden',
        `the patient has no active consent for ${this.config.region} and purpose ${purpose}`,
      );
    }
    return visible;
  }

  /** The audit entry, in the read's transaction, and a report to each home city whose documents were read. */
  private async recordAccess(
    manager: EntityManager,
    principal: Principal,
    purpose: string,
    patient: string,
    rows: ReplicaRow[],
    action: string,
  ): Promise<void> {
    const resourcesByHome: Record<string, string[]> = {};
    for (const row of rows) (resourcesByHome[row.home] ??= []).push(row.document_id);
    await this.accessReports.recordRead(manager, {
      actor: actorOf(principal),
      role: principal.role,
      org: principal.org,
      actorRegion: principal.region,
      action,
      purpose,
      subjects: [patient],
      resourcesByHome,
    });
    this.metrics.readsAudited.inc();
  }
}

function toView(row: ReplicaRow): SharedDocumentView {
  return {
    home: row.home,
    documentId: row.document_id,
    patient: row.patient,
    version: row.version,
    kind: row.kind,
    typeCode: row.type_code,
    author: row.author,
    hospital: row.hospital,
    encounterAt: row.encounter_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    body: row.body ?? {},
  };
}
