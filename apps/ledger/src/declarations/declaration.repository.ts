import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { IndicatorAmountV1, IndicatorShareV1, LedgerDeclarationV1 } from '@app/contracts';

export type DeclarationStatus = 'declared' | 'confirmed' | 'disputed';

export interface DeclarationView extends LedgerDeclarationV1 {
  declaredBy: string;
  status: DeclarationStatus;
  answerSplit?: IndicatorShareV1[];
  reason?: string;
  declaredAt: string;
  answeredAt?: string;
  settled: boolean;
}

interface DeclarationRecord {
  declaration_id: string;
  project_id: string;
  period: string;
  version: number;
  corrects: string | null;
  declared_by: string;
  amounts: IndicatorAmountV1[];
  split: IndicatorShareV1[];
  status: DeclarationStatus;
  answer_split: IndicatorShareV1[] | null;
  reason: string | null;
  declared_at: Date;
  answered_at: Date | null;
  settled: boolean;
}

function toView(row: DeclarationRecord): DeclarationView {
  return {
    declarationId: row.declaration_id,
    projectId: row.project_id,
    period: row.period,
    version: row.version,
    ...(row.corrects && { corrects: row.corrects }),
    amounts: row.amounts,
    split: row.split,
    declaredBy: row.declared_by,
    status: row.status,
    ...(row.answer_split && { answerSplit: row.answer_split }),
    ...(row.reason !== null && { reason: row.reason }),
    declaredAt: row.declared_at.toISOString(),
    ...(row.answered_at && { answeredAt: row.answered_at.toISOString() }),
    settled: row.settled,
  };
}

const SELECT = `
  select d.*, s.declaration_id is not null as settled
    from ledger_declaration d
    left join ledger_settlement s on s.declaration_id = d.declaration_id`;

/** Declarations of every version, and settled periods (ledger_declaration, ledger_settlement). */
@Injectable()
export class DeclarationRepository {
  async insert(manager: EntityManager, declaredBy: string, declaration: LedgerDeclarationV1, at: Date): Promise<void> {
    await manager.query(
      `insert into ledger_declaration
         (declaration_id, project_id, period, version, corrects, declared_by, amounts, split, status, declared_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, 'declared', $9) on conflict do nothing`,
      [
        declaration.declarationId,
        declaration.projectId,
        declaration.period,
        declaration.version,
        declaration.corrects ?? null,
        declaredBy,
        JSON.stringify(declaration.amounts),
        JSON.stringify(declaration.split),
        at,
      ],
    );
  }

  async answer(
    manager: EntityManager,
    declarationId: string,
    answer: { status: 'confirmed' | 'disputed'; split?: IndicatorShareV1[]; reason?: string; at: Date },
  ): Promise<void> {
    await manager.query(
      `update ledger_declaration set status = $2, answer_split = $3, reason = $4, answered_at = $5
        where declaration_id = $1 and status = 'declared'`,
      [
        declarationId,
        answer.status,
        answer.split ? JSON.stringify(answer.split) : null,
        answer.reason ?? null,
        answer.at,
      ],
    );
  }

  async settle(
    manager: EntityManager,
    projectId: string,
    period: string,
    declarationId: string,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `insert into ledger_settlement (project_id, period, declaration_id, settled_at) values ($1, $2, $3, $4)
       on conflict do nothing`,
      [projectId, period, declarationId, at],
    );
  }

  async get(manager: EntityManager, declarationId: string): Promise<DeclarationView | undefined> {
    const [row] = await manager.query<DeclarationRecord[]>(`${SELECT} where d.declaration_id = $1`, [declarationId]);
    return row && toView(row);
  }

  /** The period's last version. */
  async latest(manager: EntityManager, projectId: string, period: string): Promise<DeclarationView | undefined> {
    const [row] = await manager.query<DeclarationRecord[]>(
      `${SELECT} where d.project_id = $1 and d.period = $2 order by d.version desc limit 1`,
      [projectId, period],
    );
    return row && toView(row);
  }

  async list(
    manager: EntityManager,
    filter: { projectId?: string; period?: string },
    limit: number,
  ): Promise<DeclarationView[]> {
    const rows = await manager.query<DeclarationRecord[]>(
      `${SELECT} where ($1::uuid is null or d.project_id = $1) and ($2::text is null or d.period = $2)
        order by d.period desc, d.project_id, d.version desc limit $3`,
      [filter.projectId ?? null, filter.period ?? null, limit],
    );
    return rows.map(toView);
  }
}
