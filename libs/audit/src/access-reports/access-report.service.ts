import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, OutgoingEvent, Pseudonymizer, ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  ACCESS_REPORT_MAX_RESOURCES,
  ACCESS_REPORT_MAX_SUBJECTS,
  AUDIT_ACCESS_REPORTED_V1,
  AccessReportedV1,
  ServiceName,
} from '@app/contracts';
import { DomainError, Principal, Role } from '@app/http';
import { AppendedEntry, AuditEntryInput } from '../audit-chain';
import { AuditService } from '../audit.service';
import { AccessReportRepository } from './access-report.repository';

/** A read of personal data, some of it another city's: audited here and reported to each home city. */
export interface PersonalDataRead extends Omit<AuditEntryInput, 'subject' | 'resources'> {
  /**
   * Whose data: the keyed pseudonyms (never clear ID numbers) of the persons it is about, at least one: the
   * patient, the certified person, the persons an alert names. The audit entry names the subject when there is one.
   */
  subjects: string[];
  /**
   * What was read, by the city that is its home (`{ laixi: ['doc-1'], laiyang: ['doc-2'] }`). This city's own data
   * is audited and not reported; each other city is sent the part that is its own.
   */
  resourcesByHome: Record<string, string[]>;
}

/** A read reported by the peer city whose reader made it. */
export interface AccessReportView {
  readerRegion: string;
  subjects: string[];
  actor: string;
  role: string;
  org: string;
  actorRegion: string;
  action: string;
  purpose?: string;
  resources: string[];
  /** The entry of the reader's hash-chained audit log, and when it was written. */
  auditEntryId: string;
  at: string;
  receivedAt: string;
}

const LIST_LIMIT = 1000;

/**
 * Besides this city's operators, who may ask whom another city's readers read: the service's own users in the home
 * city, who answer the person (a patient asks the hospital, a talent the bureau; a unit checks its alert's persons).
 */
export const ACCESS_REPORT_ROLES: Partial<Record<ServiceName, Role[]>> = {
  'health-records': ['his'],
  'lab-results': ['his'],
  talent: ['hr-bureau'],
  police: ['police-unit'],
  affairs: ['window-clerk'],
};

/**
 * Reads reported home. A service that reads another city's personal data calls `recordRead` in the read's
 * transaction: the read is appended to this city's hash-chained audit log and, in the same transaction, a report
 * is published to each home city, whose same service keeps it and answers `GET /audit/access-reports`.
 */
@Injectable()
export class AccessReportService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly publisher: BusPublisher,
    private readonly repository: AccessReportRepository,
    private readonly replay: ReplayService,
    private readonly pseudonyms: Pseudonymizer,
  ) {}

  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.repository.reset(manager));
  }

  /** Audits a read and reports it to each other home city; must run in the read's transaction. */
  async recordRead(manager: EntityManager, read: PersonalDataRead): Promise<AppendedEntry> {
    const [entry] = await this.recordReads(manager, [read]);
    return entry;
  }

  /** Audits reads made in one transaction (one entry each, in order) and reports each to its other home cities. */
  async recordReads(manager: EntityManager, reads: PersonalDataRead[]): Promise<AppendedEntry[]> {
    for (const read of reads) {
      if (read.subjects.length === 0) throw new Error(`${read.action}: a read of personal data names its subjects`);
      // One report per audit entry: a larger read is the caller's to split into several (as police deliveries do).
      if (read.subjects.length > ACCESS_REPORT_MAX_SUBJECTS) {
        throw new Error(`${read.action}: a read names at most ${ACCESS_REPORT_MAX_SUBJECTS} persons; split it`);
      }
      for (const [home, resources] of Object.entries(read.resourcesByHome)) {
        if (resources.length > ACCESS_REPORT_MAX_RESOURCES) {
          throw new Error(`${read.action}: a read lists at most ${ACCESS_REPORT_MAX_RESOURCES} of ${home}'s records`);
        }
      }
      for (const home of Object.keys(read.resourcesByHome)) {
        if (!this.config.registry.has(home)) throw new Error(`home '${home}' is not a region of the registry`);
      }
    }
    const entries = await this.audit.appendMany(
      manager,
      reads.map(({ resourcesByHome, subjects, ...entry }) => ({
        ...entry,
        ...(subjects.length === 1 && { subject: subjects[0] }),
        resources: Object.values(resourcesByHome).flat(),
      })),
    );
    const reports: OutgoingEvent<typeof AUDIT_ACCESS_REPORTED_V1>[] = reads.flatMap((read, i) =>
      Object.entries(read.resourcesByHome)
        .filter(([home, resources]) => home !== this.config.region && resources.length > 0)
        .map(([home, resources]) => ({
          type: AUDIT_ACCESS_REPORTED_V1,
          subject: read.subjects[0],
          data: {
            service: this.config.service,
            subjects: read.subjects,
            actor: read.actor,
            role: read.role,
            org: read.org,
            actorRegion: read.actorRegion,
            action: read.action,
            ...(read.purpose !== undefined && { purpose: read.purpose }),
            resources,
            auditEntryId: entries[i].id,
            at: entries[i].at,
          },
          options: { target: home },
        })),
    );
    await this.publisher.publishMany(manager, reports);
    return entries;
  }

  /** A peer's report of a read of this city's data (the reader's city is the event's origin, whatever it claims). */
  async keepReport(manager: EntityManager, origin: string, report: AccessReportedV1): Promise<void> {
    // A service that reads another domain hears that domain's reports too: they are for its own service.
    if (report.service !== this.config.service || origin === this.config.region) return;
    await this.repository.insert(manager, origin, report);
  }

  /** Who in the other cities read data about this person (by resident ID), when, for what purpose; newest first. */
  async ofResident(residentId: string, asker?: Principal): Promise<AccessReportView[]> {
    return this.ofSubject(this.pseudonyms.of(residentId), asker);
  }

  /** Who in the other cities read data about this person, when, for what purpose; newest first. */
  async ofSubject(subject: string, asker?: Principal): Promise<AccessReportView[]> {
    if (asker && asker.role !== 'operator' && !ACCESS_REPORT_ROLES[this.config.service]?.includes(asker.role)) {
      throw new DomainError(
        'AUDIT.ACCESS_REPORTS_FORBIDDEN',
        'forbidden',
        `${asker.role} does not answer for ${this.config.service}'s data`,
      );
    }
    const rows = await this.repository.ofSubject(this.dataSource.manager, subject, LIST_LIMIT);
    return rows.map((row) => ({
      readerRegion: row.reader_region,
      subjects: row.subjects,
      actor: row.actor,
      role: row.role,
      org: row.org,
      actorRegion: row.actor_region,
      action: row.action,
      ...(row.purpose !== null && { purpose: row.purpose }),
      resources: row.resources,
      auditEntryId: row.audit_entry_id,
      at: row.at.toISOString(),
      receivedAt: row.received_at.toISOString(),
    }));
  }
}
