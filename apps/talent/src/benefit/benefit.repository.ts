import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthorityGrantV1, BenefitGrantedV1, ClaimDecision, DenialReason } from '@app/contracts';

export interface GrantRow {
  grantId: string;
  claimId: string | null;
  person: string;
  benefitCode: string;
  exclusive: boolean;
  grantedIn: string;
  origin: string;
  grantedAt: string;
}

export interface DecisionRow {
  claimId: string;
  person: string;
  benefitCode: string;
  claimant: string;
  decision: ClaimDecision;
  reason: DenialReason | null;
  grantedIn: string | null;
  decidedAt: string;
}

export type ClaimStatus = 'pending' | 'granted' | 'denied';

export interface ClaimRow {
  claimId: string;
  person: string;
  benefitCode: string;
  certifier: string;
  status: ClaimStatus;
  reason: DenialReason | null;
  grantedIn: string | null;
  requestedBy: string;
  requestedAt: Date;
  deadline: Date;
  decidedAt: Date | null;
}

const CLAIM_COLUMNS = `claim_id as "claimId", person, benefit_code as "benefitCode", certifier, status, reason,
  granted_in as "grantedIn", requested_by as "requestedBy", requested_at as "requestedAt", deadline,
  decided_at as "decidedAt"`;

/**
 * Grants (this city's and its peers'), the certifier's ledger of decisions, and the claimant's view of its claims.
 */
@Injectable()
export class BenefitRepository {
  async insertGrant(manager: EntityManager, origin: string, grant: BenefitGrantedV1): Promise<void> {
    await manager.query(
      `insert into talent_benefit_grant (grant_id, claim_id, person, benefit_code, exclusive, granted_in, origin,
                                         granted_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing`,
      [
        grant.grantId,
        grant.claimId ?? null,
        grant.person,
        grant.benefitCode,
        grant.exclusive,
        grant.grantedIn,
        origin,
        grant.grantedAt,
      ],
    );
  }

  async resetProjectedGrants(manager: EntityManager, region: string): Promise<void> {
    await manager.query('delete from talent_benefit_grant where origin <> $1', [region]);
  }

  async findDecision(manager: EntityManager, claimId: string): Promise<DecisionRow | undefined> {
    const [row] = await manager.query<DecisionRow[]>(
      `select claim_id as "claimId", person, benefit_code as "benefitCode", claimant, decision, reason,
              granted_in as "grantedIn", decided_at as "decidedAt"
         from talent_claim_decision where claim_id = $1`,
      [claimId],
    );
    return row && { ...row, decidedAt: new Date(row.decidedAt).toISOString() };
  }

  /**
   * Where the exclusive benefit was granted to the person, if it was: by this city's decisions (its own and those
   * handed over with the authority) or by any grant a peer published.
   */
  async grantedIn(manager: EntityManager, person: string, benefitCode: string): Promise<string | undefined> {
    const [row] = await manager.query<{ granted_in: string }[]>(
      `select granted_in from talent_claim_decision where person = $1 and benefit_code = $2 and decision = 'granted'
       union all
       select granted_in from talent_benefit_grant where person = $1 and benefit_code = $2 and exclusive
       limit 1`,
      [person, benefitCode],
    );
    return row?.granted_in;
  }

  /** Every exclusive grant to the person this city knows of: the ledger handed over with the authority. */
  async exclusiveGrants(manager: EntityManager, person: string): Promise<AuthorityGrantV1[]> {
    const rows = await manager.query<AuthorityGrantV1[]>(
      `select distinct on ("benefitCode") * from (
         select claim_id::text as "claimId", benefit_code as "benefitCode", granted_in as "grantedIn",
                decided_at as "decidedAt"
           from talent_claim_decision where person = $1 and decision = 'granted'
         union all
         select coalesce(claim_id, grant_id)::text, benefit_code, granted_in, granted_at
           from talent_benefit_grant where person = $1 and exclusive) grants
       order by "benefitCode", "decidedAt"`,
      [person],
    );
    return rows.map((row) => ({ ...row, decidedAt: new Date(row.decidedAt).toISOString() }));
  }

  /** The ledger handed over with the authority, recorded as decisions so that no second grant can commit here. */
  async insertHandedOverGrants(manager: EntityManager, person: string, grants: AuthorityGrantV1[]): Promise<void> {
    for (const grant of grants) {
      await manager.query(
        `insert into talent_claim_decision (claim_id, person, benefit_code, claimant, decision, reason, granted_in,
                                            decided_at)
         values ($1, $2, $3, $4, 'granted', null, $4, $5) on conflict do nothing`,
        [grant.claimId, person, grant.benefitCode, grant.grantedIn, grant.decidedAt],
      );
    }
  }

  /**
   * Records a decision. The unique index on granted (person, benefit) refuses a second grant even if two
   * arbitrations ever raced past the lock; the loser's transaction fails and its claim is decided again.
   */
  async insertDecision(manager: EntityManager, row: DecisionRow): Promise<void> {
    await manager.query(
      `insert into talent_claim_decision (claim_id, person, benefit_code, claimant, decision, reason, granted_in,
                                          decided_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [row.claimId, row.person, row.benefitCode, row.claimant, row.decision, row.reason, row.grantedIn, row.decidedAt],
    );
  }

  async insertClaim(manager: EntityManager, claim: Omit<ClaimRow, 'decidedAt'>): Promise<void> {
    await manager.query(
      `insert into talent_claim (claim_id, person, benefit_code, certifier, status, reason, granted_in, requested_by,
                                 requested_at, deadline)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        claim.claimId,
        claim.person,
        claim.benefitCode,
        claim.certifier,
        claim.status,
        claim.reason,
        claim.grantedIn,
        claim.requestedBy,
        claim.requestedAt,
        claim.deadline,
      ],
    );
  }

  /**
   * Decides a pending claim of this city (also after its deadline: the certifier's word stands); undefined when it
   * was decided before (a redelivered answer).
   */
  async decideClaim(
    manager: EntityManager,
    claimId: string,
    outcome: { decision: ClaimDecision; reason: DenialReason | null; grantedIn: string | null; decidedAt: Date },
  ): Promise<ClaimRow | undefined> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [[row]] = await manager.query<[ClaimRow[], number]>(
      `update talent_claim set status = $2, reason = $3, granted_in = $4, decided_at = $5
        where claim_id = $1 and status = 'pending' returning ${CLAIM_COLUMNS}`,
      [claimId, outcome.decision, outcome.reason, outcome.grantedIn, outcome.decidedAt],
    );
    return row;
  }

  async findClaim(manager: EntityManager, claimId: string): Promise<ClaimRow | undefined> {
    const [row] = await manager.query<ClaimRow[]>(`select ${CLAIM_COLUMNS} from talent_claim where claim_id = $1`, [
      claimId,
    ]);
    return row;
  }
}
