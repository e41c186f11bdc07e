import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Pseudonymizer } from '@app/bus';
import { SharingRepository } from './sharing.repository';

export interface AccessReportView {
  actor: string;
  org: string;
  actorRegion: string;
  purpose: string;
  documents: string[];
  auditEntryId: string;
  at: string;
}

/** Who in the other cities read this city's patient's records, as the peers reported it. */
@Injectable()
export class AccessReportsQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pseudonyms: Pseudonymizer,
    private readonly repository: SharingRepository,
  ) {}

  /** Who in the other cities read this patient's records, newest first. */
  async list(residentId: string): Promise<AccessReportView[]> {
    const rows = await this.repository.accessReportsOf(this.dataSource.manager, this.pseudonyms.of(residentId));
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
