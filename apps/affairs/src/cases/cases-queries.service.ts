import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApplicationRepository, StoredMaterialView } from '../applications/application.repository';
import { CaseRepository, CaseRow } from './case.repository';
import { caseNotFound } from './cases.service';

export type CaseView = Omit<CaseRow, 'content_key'>;

/** The cases this city handles, as its case officers and supervising office see them (identity included). */
@Injectable()
export class CasesQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly applications: ApplicationRepository,
  ) {}

  async get(applicationId: string): Promise<CaseView & { history: object[]; materials: StoredMaterialView[] }> {
    const manager = this.dataSource.manager;
    const row = await this.cases.get(manager, applicationId);
    if (!row) throw caseNotFound(applicationId);
    return {
      ...view(row),
      history: await this.cases.history(manager, applicationId),
      materials: await this.applications.materials(manager, 'handled', applicationId),
    };
  }

  async list(open: boolean): Promise<CaseView[]> {
    return (await this.cases.list(this.dataSource.manager, open, 500)).map(view);
  }
}

/** Everything but the materials' content key, which never leaves the service. */
function view(row: CaseRow): CaseView {
  const copy: Partial<CaseRow> = { ...row };
  delete copy.content_key;
  return copy as CaseView;
}
