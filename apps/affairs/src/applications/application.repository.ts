import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SealedBox } from '@app/bus';
import { ApplicantKind, CaseStatus, CaseStatusChangedV1 } from '@app/contracts';
import { ReceivedMaterial } from './materials';

export interface ApplicationRow {
  application_id: string;
  matter_code: string;
  handling_region: string;
  applicant_kind: ApplicantKind;
  person: string;
  credit_code: string | null;
  status: CaseStatus;
  version: number;
  reason: string | null;
  legal_basis: string | null;
  supplement: string[] | null;
  deadline: string | null;
  delivered_by: string | null;
  supplement_round: number;
  filed_by: string;
  filed_at: Date;
  updated_at: Date;
}

export interface HistoryRow {
  version: number;
  status: CaseStatus;
  at: Date;
  detail: Record<string, unknown>;
}

export type MaterialSide = 'filed' | 'handled';

export type StoredMaterialView = Omit<ReceivedMaterial, 'content'> & { round: number };

const COLUMNS = `application_id, matter_code, handling_region, applicant_kind, person, credit_code, status, version, reason,
  legal_basis, supplement, to_char(deadline, 'YYYY-MM-DD') as deadline, delivered_by, supplement_round, filed_by,
  filed_at, updated_at`;

@Injectable()
export class ApplicationRepository {
  async insert(
    manager: EntityManager,
    row: Pick<
      ApplicationRow,
      | 'application_id'
      | 'matter_code'
      | 'handling_region'
      | 'applicant_kind'
      | 'person'
      | 'credit_code'
      | 'filed_by'
      | 'filed_at'
    > & { content_key: SealedBox },
  ): Promise<void> {
    await manager.query(
      `insert into affairs_application (application_id, matter_code, handling_region, applicant_kind, person,
         credit_code, status, version, filed_by, filed_at, updated_at, content_key)
       values ($1, $2, $3, $4, $5, $6, 'submitted', 0, $7, $8, $8, $9)`,
      [
        row.application_id,
        row.matter_code,
        row.handling_region,
        row.applicant_kind,
        row.person,
        row.credit_code,
        row.filed_by,
        row.filed_at,
        JSON.stringify(row.content_key),
      ],
    );
    await manager.query(
      `insert into affairs_application_history (application_id, version, status, at) values ($1, 0, 'submitted', $2)`,
      [row.application_id, row.filed_at],
    );
  }

  async get(manager: EntityManager, applicationId: string, lock = false): Promise<ApplicationRow | undefined> {
    const [row] = await manager.query<ApplicationRow[]>(
      `select ${COLUMNS} from affairs_application where application_id = $1 ${lock ? 'for update' : ''}`,
      [applicationId],
    );
    return row;
  }

  async list(manager: EntityManager, status: CaseStatus | undefined, limit: number): Promise<ApplicationRow[]> {
    return manager.query<ApplicationRow[]>(
      `select ${COLUMNS} from affairs_application where ($1::text is null or status = $1)
       order by filed_at desc limit $2`,
      [status ?? null, limit],
    );
  }

  async history(manager: EntityManager, applicationId: string): Promise<HistoryRow[]> {
    return manager.query<HistoryRow[]>(
      'select version, status, at, detail from affairs_application_history where application_id = $1 order by version',
      [applicationId],
    );
  }

  /** Applies a change sent by the handling city when it is newer than what is held; false when it is not. */
  async applyStatus(manager: EntityManager, change: CaseStatusChangedV1): Promise<boolean> {
    // TypeORM answers an update with [rows, affected].
    const [, updated] = await manager.query<[unknown[], number]>(
      `update affairs_application set status = $2, version = $3, reason = $4, legal_basis = $5, supplement = $6,
         deadline = coalesce($7::date, deadline), delivered_by = $8, updated_at = $9
       where application_id = $1 and version < $3`,
      [
        change.applicationId,
        change.status,
        change.version,
        change.reason ?? null,
        change.legalBasis ?? null,
        change.supplement ? JSON.stringify(change.supplement) : null,
        change.deadline ?? null,
        change.deliveredBy ?? null,
        change.at,
      ],
    );
    await manager.query(
      `insert into affairs_application_history (application_id, version, status, at, detail)
       values ($1, $2, $3, $4, $5) on conflict do nothing`,
      [
        change.applicationId,
        change.version,
        change.status,
        change.at,
        JSON.stringify({
          ...(change.reason && { reason: change.reason }),
          ...(change.legalBasis && { legalBasis: change.legalBasis }),
          ...(change.supplement && { supplement: change.supplement }),
          ...(change.deadline && { deadline: change.deadline }),
        }),
      ],
    );
    return updated > 0;
  }

  /** Records the applicant's rating, once: false when the application was rated already. */
  async setRating(manager: EntityManager, applicationId: string, score: number, reasons: string[]): Promise<boolean> {
    // TypeORM answers an update with [rows, affected].
    const [, updated] = await manager.query<[unknown[], number]>(
      `update affairs_application set rating = $2, rating_reasons = $3 where application_id = $1 and rating is null`,
      [applicationId, score, JSON.stringify(reasons)],
    );
    return updated > 0;
  }

  /** The materials' content key, sealed to this city's own key. */
  async contentKey(manager: EntityManager, applicationId: string): Promise<SealedBox> {
    const [row] = await manager.query<{ content_key: SealedBox }[]>(
      'select content_key from affairs_application where application_id = $1',
      [applicationId],
    );
    return row.content_key;
  }

  async nextSupplementRound(manager: EntityManager, applicationId: string): Promise<number> {
    const [[row]] = await manager.query<[{ supplement_round: number }[], number]>(
      `update affairs_application set supplement_round = supplement_round + 1 where application_id = $1
       returning supplement_round`,
      [applicationId],
    );
    return row.supplement_round;
  }

  async insertMaterials(
    manager: EntityManager,
    side: MaterialSide,
    applicationId: string,
    round: number,
    materials: readonly ReceivedMaterial[],
  ): Promise<void> {
    for (const material of materials) {
      await manager.query(
        `insert into affairs_material (side, application_id, round, code, file_name, format, bytes, sha256, content)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          side,
          applicationId,
          round,
          material.code,
          material.fileName,
          material.format,
          material.bytes,
          material.sha256,
          material.content,
        ],
      );
    }
  }

  async materials(manager: EntityManager, side: MaterialSide, applicationId: string): Promise<StoredMaterialView[]> {
    return manager.query<StoredMaterialView[]>(
      `select round, code, file_name as "fileName", format, bytes, sha256 from affairs_material
       where side = $1 and application_id = $2 order by round, code`,
      [side, applicationId],
    );
  }

  async recordClockAlert(
    manager: EntityManager,
    alert: { applicationId: string; kind: 'warning' | 'overdue'; handlingRegion: string; deadline: string; at: Date },
  ): Promise<void> {
    await manager.query(
      `insert into affairs_clock_alert (application_id, kind, handling_region, deadline, at) values ($1, $2, $3, $4, $5)
       on conflict do nothing`,
      [alert.applicationId, alert.kind, alert.handlingRegion, alert.deadline, alert.at],
    );
  }

  async clockAlerts(
    manager: EntityManager,
    applicationId: string,
  ): Promise<{ kind: string; handling_region: string; deadline: string; at: Date }[]> {
    return manager.query<{ kind: string; handling_region: string; deadline: string; at: Date }[]>(
      `select kind, handling_region, to_char(deadline, 'YYYY-MM-DD') as deadline, at from affairs_clock_alert
       where application_id = $1 order by at`,
      [applicationId],
    );
  }
}
