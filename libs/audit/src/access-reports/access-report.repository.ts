import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessReportedV1 } from '@app/contracts';

export interface AccessReportRow {
  id: string;
  reader_region: string;
  subjects: string[];
  actor: string;
  role: string;
  org: string;
  actor_region: string;
  action: string;
  purpose: string | null;
  resources: string[];
  audit_entry_id: string;
  at: Date;
  received_at: Date;
}

/** The SQL of the reads of this city's people's data that the peers reported. */
@Injectable()
export class AccessReportRepository {
  /** One report per entry of the reader's audit log: a redelivered report changes nothing. */
  async insert(manager: EntityManager, readerRegion: string, report: AccessReportedV1): Promise<void> {
    await manager.query(
      `insert into audit_access_report
         (reader_region, subjects, actor, role, org, actor_region, action, purpose, resources, audit_entry_id, at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       on conflict (reader_region, audit_entry_id) do nothing`,
      [
        readerRegion,
        JSON.stringify(report.subjects),
        report.actor,
        report.role,
        report.org,
        report.actorRegion,
        report.action,
        report.purpose ?? null,
        JSON.stringify(report.resources),
        report.auditEntryId,
        report.at,
      ],
    );
  }

  async ofSubject(manager: EntityManager, subject: string, limit: number): Promise<AccessReportRow[]> {
    return manager.query<AccessReportRow[]>(
      `select id::text as id, reader_region, subjects, actor, role, org, actor_region, action, purpose, resources,
              audit_entry_id::text as audit_entry_id, at, received_at
         from audit_access_report where subjects @> jsonb_build_array($1::text) order by at desc, id desc limit $2`,
      [subject, limit],
    );
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query('delete from audit_access_report');
  }
}
