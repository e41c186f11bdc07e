import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Pseudonymizer, ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { RecordsAccessedV1, RecordsPurgedV1 } from '@app/contracts';
import { Principal } from '@app/http';
import { assertOwnRegion } from '../health.caller';
import { HealthMetrics } from '../health.metrics';

export interface AccessReportView {
  actor: string;
  org: string;
  actorRegion: string;
  purpose: string;
  documents: string[];
  auditEntryId: string;
  at: string;
}

/** What the peers report back to this city about its patients: who read their records, and purges done. */
@Injectable()
export class AccessReportsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly pseudonyms: Pseudonymizer,
    private readonly metrics: HealthMetrics,
    private readonly replay: ReplayService,
  ) {}

  /** The peers' reports of reads and purge confirmations; this city's purge requests stay, unconfirmed. */
  onModuleInit(): void {
    this.replay.registerProjection(async (manager) => {
      await manager.query('delete from health_access_report');
      await manager.query('update health_purge set purged_at = null, documents = null');
    });
  }

  async recordAccess(manager: EntityManager, reader: string, access: RecordsAccessedV1): Promise<void> {
    // The reader's region is the event's origin, whatever the payload claims.
    await manager.query(
      `insert into health_access_report (patient, actor, org, actor_region, purpose, documents, audit_entry_id, at)
       values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing`,
      [
        access.patient,
        access.actor,
        access.org,
        reader,
        access.purpose,
        JSON.stringify(access.documents),
        access.auditEntryId,
        access.at,
      ],
    );
  }

  async recordPurge(manager: EntityManager, region: string, purged: RecordsPurgedV1): Promise<void> {
    const [, updated] = await manager.query<[unknown[], number]>(
      `update health_purge set purged_at = $3, documents = $4
        where purge_id = $1 and region = $2 and purged_at is null`,
      [purged.purgeId, region, purged.purgedAt, purged.documents],
    );
    if (updated > 0) this.metrics.purged.inc({ side: 'confirmed' });
  }

  /** Who in the other cities read this patient's records, newest first. */
  async list(principal: Principal, residentId: string): Promise<AccessReportView[]> {
    assertOwnRegion(principal, this.config);
    const rows = await this.dataSource.query<
      {
        actor: string;
        org: string;
        actor_region: string;
        purpose: string;
        documents: string[];
        audit_entry_id: string;
        at: Date;
      }[]
    >('select * from health_access_report where patient = $1 order by at desc, id desc limit 1000', [
      this.pseudonyms.of(residentId),
    ]);
    return rows.map((row) => ({
      actor: row.actor,
      org: row.org,
      actorRegion: row.actor_region,
      purpose: row.purpose,
      documents: row.documents,
      auditEntryId: row.audit_entry_id,
      at: row.at.toISOString(),
    }));
  }
}
