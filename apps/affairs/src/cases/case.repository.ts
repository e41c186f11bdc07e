import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApplicantKind, CaseStatus, DeliveryMode, MaterialManifestV1 } from '@app/contracts';

export interface CaseIdentity {
  residentId: string;
  name: string;
  mobile: string;
  enterpriseName?: string;
  postalAddress?: string;
}

export interface CaseRow {
  application_id: string;
  filing_region: string;
  matter_code: string;
  catalogue_version: string;
  applicant_kind: ApplicantKind;
  person: string;
  credit_code: string | null;
  identity: CaseIdentity;
  content_key: string;
  delivery: DeliveryMode;
  status: CaseStatus;
  version: number;
  reason: string | null;
  legal_basis: string | null;
  supplement: string[] | null;
  round: number;
  limit_days: number;
  accepted_on: string | null;
  paused_since: string | null;
  paused_days: number;
  deadline: string | null;
  warned: boolean;
  escalated: boolean;
  received_at: Date;
  updated_at: Date;
}

const COLUMNS = `application_id, filing_region, matter_code, catalogue_version, applicant_kind, person, credit_code,
  identity, content_key, delivery, status, version, reason, legal_basis, supplement, round, limit_days,
  to_char(accepted_on, 'YYYY-MM-DD') as accepted_on, to_char(paused_since, 'YYYY-MM-DD') as paused_since, paused_days,
  to_char(deadline, 'YYYY-MM-DD') as deadline, warned, escalated, received_at, updated_at`;

export interface InboundRow {
  application_id: string;
  round: number;
  origin: string;
  payload: { materials: MaterialManifestV1[] } & Record<string, unknown>;
}

@Injectable()
export class CaseRepository {
  async insert(manager: EntityManager, row: CaseRow): Promise<boolean> {
    const inserted = await manager.query<unknown[]>(
      `insert into affairs_case (application_id, filing_region, matter_code, catalogue_version, applicant_kind, person,
         credit_code, identity, content_key, delivery, status, version, limit_days, received_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
       on conflict do nothing returning application_id`,
      [
        row.application_id,
        row.filing_region,
        row.matter_code,
        row.catalogue_version,
        row.applicant_kind,
        row.person,
        row.credit_code,
        JSON.stringify(row.identity),
        row.content_key,
        row.delivery,
        row.status,
        row.version,
        row.limit_days,
        row.received_at,
      ],
    );
    return inserted.length > 0;
  }

  async get(manager: EntityManager, applicationId: string, lock = false): Promise<CaseRow | undefined> {
    const [row] = await manager.query<CaseRow[]>(
      `select ${COLUMNS} from affairs_case where application_id = $1 ${lock ? 'for update' : ''}`,
      [applicationId],
    );
    return row;
  }

  async list(manager: EntityManager, open: boolean, limit: number): Promise<CaseRow[]> {
    return manager.query<CaseRow[]>(
      `select ${COLUMNS} from affairs_case
       where not $1 or status not in ('not-accepted', 'delivered') order by received_at desc limit $2`,
      [open, limit],
    );
  }

  /** Writes the case's changed state (status, clock, flags) and its history entry. */
  async update(manager: EntityManager, row: CaseRow, at: Date, actor: string | null, detail: object): Promise<void> {
    await manager.query(
      `update affairs_case set status = $2, version = $3, reason = $4, legal_basis = $5, supplement = $6, round = $7,
         accepted_on = $8, paused_since = $9, paused_days = $10, deadline = $11, warned = $12, escalated = $13,
         updated_at = $14
       where application_id = $1`,
      [
        row.application_id,
        row.status,
        row.version,
        row.reason,
        row.legal_basis,
        row.supplement ? JSON.stringify(row.supplement) : null,
        row.round,
        row.accepted_on,
        row.paused_since,
        row.paused_days,
        row.deadline,
        row.warned,
        row.escalated,
        at,
      ],
    );
    await this.insertHistory(manager, row, at, actor, detail);
  }

  async insertHistory(
    manager: EntityManager,
    row: Pick<CaseRow, 'application_id' | 'version' | 'status'>,
    at: Date,
    actor: string | null,
    detail: object,
  ): Promise<void> {
    await manager.query(
      `insert into affairs_case_history (application_id, version, status, at, actor, detail) values ($1, $2, $3, $4, $5, $6)`,
      [row.application_id, row.version, row.status, at, actor, JSON.stringify(detail)],
    );
  }

  async history(
    manager: EntityManager,
    applicationId: string,
  ): Promise<{ version: number; status: CaseStatus; at: Date; actor: string | null; detail: object }[]> {
    return manager.query(
      'select version, status, at, actor, detail from affairs_case_history where application_id = $1 order by version',
      [applicationId],
    );
  }

  async setRating(manager: EntityManager, applicationId: string, score: number, reasons: string[]): Promise<void> {
    await manager.query(
      'update affairs_case set rating = $2, rating_reasons = $3 where application_id = $1 and rating is null',
      [applicationId, score, JSON.stringify(reasons)],
    );
  }

  // Inbound transfers: the manifest and the chunks of an application or supplement until it is complete.

  async insertInbound(manager: EntityManager, row: InboundRow): Promise<void> {
    await manager.query(
      `insert into affairs_inbound (application_id, round, origin, payload) values ($1, $2, $3, $4)
       on conflict do nothing`,
      [row.application_id, row.round, row.origin, JSON.stringify(row.payload)],
    );
  }

  async inbound(manager: EntityManager, applicationId: string, round: number): Promise<InboundRow | undefined> {
    const [row] = await manager.query<InboundRow[]>(
      'select application_id, round, origin, payload from affairs_inbound where application_id = $1 and round = $2',
      [applicationId, round],
    );
    return row;
  }

  async insertChunk(
    manager: EntityManager,
    chunk: { applicationId: string; round: number; materialCode: string; index: number; iv: string; data: string },
  ): Promise<void> {
    await manager.query(
      `insert into affairs_chunk (application_id, round, material_code, index, iv, data) values ($1, $2, $3, $4, $5, $6)
       on conflict do nothing`,
      [chunk.applicationId, chunk.round, chunk.materialCode, chunk.index, chunk.iv, chunk.data],
    );
  }

  async chunkCount(manager: EntityManager, applicationId: string, round: number): Promise<number> {
    const [{ count }] = await manager.query<{ count: number }[]>(
      'select count(*)::int as count from affairs_chunk where application_id = $1 and round = $2',
      [applicationId, round],
    );
    return count;
  }

  async chunks(
    manager: EntityManager,
    applicationId: string,
    round: number,
    materialCode: string,
  ): Promise<{ index: number; iv: string; data: string }[]> {
    return manager.query(
      `select index, iv, data from affairs_chunk where application_id = $1 and round = $2 and material_code = $3
       order by index`,
      [applicationId, round, materialCode],
    );
  }

  async dropInbound(manager: EntityManager, applicationId: string, round: number): Promise<void> {
    await manager.query('delete from affairs_chunk where application_id = $1 and round = $2', [applicationId, round]);
    await manager.query('delete from affairs_inbound where application_id = $1 and round = $2', [applicationId, round]);
  }

  // Clock alerts: due rows, taken by deleting them.

  async markAlerted(manager: EntityManager, applicationId: string, kind: 'warning' | 'overdue'): Promise<void> {
    await manager.query(
      `update affairs_case set ${kind === 'warning' ? 'warned' : 'escalated'} = true where application_id = $1`,
      [applicationId],
    );
  }

  /** The alerts raised on the cases this city handles, newest first: the supervising office's list. */
  async clockAlerts(
    manager: EntityManager,
    region: string,
    limit: number,
  ): Promise<
    { application_id: string; kind: string; deadline: string; at: Date; matter_code: string; status: string }[]
  > {
    return manager.query(
      `select a.application_id, a.kind, to_char(a.deadline, 'YYYY-MM-DD') as deadline, a.at, c.matter_code, c.status
         from affairs_clock_alert a join affairs_case c using (application_id)
        where a.handling_region = $1 order by a.at desc limit $2`,
      [region, limit],
    );
  }

  async setDeadlines(
    manager: EntityManager,
    applicationId: string,
    due: { kind: 'warning' | 'overdue'; dueAt: Date }[],
  ): Promise<void> {
    await manager.query('delete from affairs_case_deadline where application_id = $1', [applicationId]);
    for (const { kind, dueAt } of due) {
      await manager.query('insert into affairs_case_deadline (application_id, kind, due_at) values ($1, $2, $3)', [
        applicationId,
        kind,
        dueAt,
      ]);
    }
  }

  async dueDeadlines(
    manager: EntityManager,
    now: Date,
    limit: number,
  ): Promise<{ application_id: string; kind: 'warning' | 'overdue' }[]> {
    return manager.query(
      'select application_id, kind from affairs_case_deadline where due_at <= $1 order by due_at limit $2',
      [now, limit],
    );
  }

  async takeDeadline(manager: EntityManager, applicationId: string, kind: string, now: Date): Promise<boolean> {
    // TypeORM answers a delete with [rows, affected].
    const [, deleted] = await manager.query<[unknown[], number]>(
      'delete from affairs_case_deadline where application_id = $1 and kind = $2 and due_at <= $3',
      [applicationId, kind, now],
    );
    return deleted > 0;
  }
}
