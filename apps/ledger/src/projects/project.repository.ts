import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LedgerProjectV1 } from '@app/contracts';

export interface ProjectView extends LedgerProjectV1 {
  registeredBy: string;
  status: 'proposed' | 'effective';
  registeredAt: string;
  confirmedAt?: string;
}

interface ProjectRecord {
  project_id: string;
  registered_by: string;
  project: LedgerProjectV1;
  status: 'proposed' | 'effective';
  registered_at: Date;
  confirmed_at: Date | null;
}

function toView(row: ProjectRecord): ProjectView {
  return {
    ...row.project,
    registeredBy: row.registered_by,
    status: row.status,
    registeredAt: row.registered_at.toISOString(),
    ...(row.confirmed_at && { confirmedAt: row.confirmed_at.toISOString() }),
  };
}

/** Co-built projects this city is a party to (ledger_project). */
@Injectable()
export class ProjectRepository {
  /** False when the project was registered already. */
  async insert(manager: EntityManager, registeredBy: string, project: LedgerProjectV1, at: Date): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `insert into ledger_project (project_id, registered_by, fly_out, fly_in, project, status, registered_at)
       values ($1, $2, $3, $4, $5, 'proposed', $6) on conflict do nothing returning project_id`,
      [project.projectId, registeredBy, project.flyOut, project.flyIn, project, at],
    );
    return rows.length === 1;
  }

  async confirm(manager: EntityManager, projectId: string, at: Date): Promise<void> {
    await manager.query(
      "update ledger_project set status = 'effective', confirmed_at = $2 where project_id = $1 and status = 'proposed'",
      [projectId, at],
    );
  }

  /** The project, locked for the transaction when `lock`. */
  async get(manager: EntityManager, projectId: string, lock = false): Promise<ProjectView | undefined> {
    const [row] = await manager.query<ProjectRecord[]>(
      `select * from ledger_project where project_id = $1${lock ? ' for update' : ''}`,
      [projectId],
    );
    return row && toView(row);
  }

  async list(manager: EntityManager, limit: number): Promise<ProjectView[]> {
    const rows = await manager.query<ProjectRecord[]>(
      'select * from ledger_project order by registered_at desc, project_id limit $1',
      [limit],
    );
    return rows.map(toView);
  }
}
