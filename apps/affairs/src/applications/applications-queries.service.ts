import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseStatus } from '@app/contracts';
import { ApplicationRepository, ApplicationRow, HistoryRow, StoredMaterialView } from './application.repository';
import { notFound } from './applications.service';

export interface ApplicationView {
  applicationId: string;
  matterCode: string;
  handlingRegion: string;
  applicantKind: string;
  creditCode: string | null;
  status: CaseStatus;
  version: number;
  reason: string | null;
  legalBasis: string | null;
  supplement: string[] | null;
  deadline: string | null;
  deliveredBy: string | null;
  filedAt: Date;
  updatedAt: Date;
}

/** What the filing window and the portal see of the applications filed here: the state the handling city sent. */
@Injectable()
export class ApplicationsQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationRepository,
  ) {}

  async get(applicationId: string): Promise<
    ApplicationView & {
      history: HistoryRow[];
      materials: StoredMaterialView[];
      clockAlerts: { kind: string; deadline: string; at: Date }[];
    }
  > {
    const manager = this.dataSource.manager;
    const row = await this.applications.get(manager, applicationId);
    if (!row) throw notFound(applicationId);
    return {
      ...view(row),
      history: await this.applications.history(manager, applicationId),
      materials: await this.applications.materials(manager, 'filed', applicationId),
      clockAlerts: (await this.applications.clockAlerts(manager, applicationId)).map(({ kind, deadline, at }) => ({
        kind,
        deadline,
        at,
      })),
    };
  }

  async list(status?: CaseStatus): Promise<ApplicationView[]> {
    return (await this.applications.list(this.dataSource.manager, status, 500)).map(view);
  }
}

function view(row: ApplicationRow): ApplicationView {
  return {
    applicationId: row.application_id,
    matterCode: row.matter_code,
    handlingRegion: row.handling_region,
    applicantKind: row.applicant_kind,
    creditCode: row.credit_code,
    status: row.status,
    version: row.version,
    reason: row.reason,
    legalBasis: row.legal_basis,
    supplement: row.supplement,
    deadline: row.deadline,
    deliveredBy: row.delivered_by,
    filedAt: row.filed_at,
    updatedAt: row.updated_at,
  };
}
