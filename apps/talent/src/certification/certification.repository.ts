import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CertificationStateV1, CertificationStatus } from '@app/contracts';

export interface CertificationRow {
  certificationId: string;
  person: string;
  origin: string;
  tier: string;
  field: string;
  issuingBureau: string;
  validFrom: string;
  validUntil: string;
  status: CertificationStatus;
  certifiedAt: string;
  version: number;
  reason: string | null;
}

/** Who holds a person's authority, as this city knows it (the holder's own row is always current). */
export interface AuthorityRow {
  holder: string;
  epoch: number;
}

export type CertificationRequestStatus = 'pending' | 'certified' | 'refused';

/** A certification this city asked the person's authority for, issued when the authority is handed over. */
export interface CertificationRequestRow {
  requestId: string;
  person: string;
  tier: string;
  field: string;
  issuingBureau: string;
  validFrom: string;
  validUntil: string;
  authority: string;
  status: CertificationRequestStatus;
  certificationId: string | null;
  certifier: string | null;
}

const REQUEST_COLUMNS = `request_id as "requestId", person, tier, field, issuing_bureau as "issuingBureau",
  to_char(valid_from, 'YYYY-MM-DD') as "validFrom", to_char(valid_until, 'YYYY-MM-DD') as "validUntil", authority,
  status, certification_id as "certificationId", certifier`;

const COLUMNS = `certification_id as "certificationId", person, origin, tier, field, issuing_bureau as "issuingBureau",
  to_char(valid_from, 'YYYY-MM-DD') as "validFrom", to_char(valid_until, 'YYYY-MM-DD') as "validUntil", status,
  certified_at as "certifiedAt", version, reason`;

/** Certifications this city issued (origin = this region) and those it projected from its peers. */
@Injectable()
export class CertificationRepository {
  /** Writes a state of a certification unless a state of the same or a higher version is there already. */
  async upsert(manager: EntityManager, origin: string, state: CertificationStateV1): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `insert into talent_certification (certification_id, person, origin, tier, field, issuing_bureau, valid_from,
                                         valid_until, status, certified_at, version, reason)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       on conflict (certification_id) do update set
         tier = excluded.tier, field = excluded.field, issuing_bureau = excluded.issuing_bureau,
         valid_from = excluded.valid_from, valid_until = excluded.valid_until, status = excluded.status,
         version = excluded.version, reason = excluded.reason
       where talent_certification.version < excluded.version and talent_certification.origin = excluded.origin
       returning 1`,
      [
        state.certificationId,
        state.person,
        origin,
        state.tier,
        state.field,
        state.issuingBureau,
        state.validFrom,
        state.validUntil,
        state.status,
        state.certifiedAt,
        state.version,
        state.reason ?? null,
      ],
    );
    return rows.length > 0;
  }

  /** Locks one of this city's own certifications for a change. */
  async findOwnForUpdate(manager: EntityManager, origin: string, id: string): Promise<CertificationRow | undefined> {
    const [row] = await manager.query<CertificationRow[]>(
      `select ${COLUMNS} from talent_certification where certification_id = $1 and origin = $2 for update`,
      [id, origin],
    );
    return row ? normalise(row) : undefined;
  }

  async find(manager: EntityManager, id: string): Promise<CertificationRow | undefined> {
    const [row] = await manager.query<CertificationRow[]>(
      `select ${COLUMNS} from talent_certification where certification_id = $1`,
      [id],
    );
    return row ? normalise(row) : undefined;
  }

  byPerson(manager: EntityManager, person: string): Promise<CertificationRow[]> {
    return this.byPeople(manager, [person]);
  }

  async byPeople(manager: EntityManager, people: string[]): Promise<CertificationRow[]> {
    const rows = await manager.query<CertificationRow[]>(
      `select ${COLUMNS} from talent_certification where person = any($1) order by certified_at, certification_id`,
      [people],
    );
    return rows.map(normalise);
  }

  /**
   * Locks the person's certifications issued by this city: claims for one person are arbitrated one at a time,
   * and after a revocation commits no claim decided later can see the certification as valid.
   */
  async ownByPersonForUpdate(manager: EntityManager, origin: string, person: string): Promise<CertificationRow[]> {
    const rows = await manager.query<CertificationRow[]>(
      `select ${COLUMNS} from talent_certification where person = $1 and origin = $2
        order by certification_id for update`,
      [person, origin],
    );
    return rows.map(normalise);
  }

  async authorityOf(manager: EntityManager, person: string): Promise<AuthorityRow | undefined> {
    const [row] = await manager.query<AuthorityRow[]>('select holder, epoch from talent_authority where person = $1', [
      person,
    ]);
    return row;
  }

  /** Records who holds the authority; an older epoch never overwrites a newer one. */
  async setAuthority(manager: EntityManager, person: string, authority: AuthorityRow): Promise<void> {
    await manager.query(
      `insert into talent_authority (person, holder, epoch) values ($1, $2, $3)
       on conflict (person) do update set holder = excluded.holder, epoch = excluded.epoch, changed_at = now()
       where talent_authority.epoch <= excluded.epoch`,
      [person, authority.holder, authority.epoch],
    );
  }

  async insertRequest(manager: EntityManager, row: CertificationRequestRow): Promise<void> {
    await manager.query(
      `insert into talent_certification_request (request_id, person, tier, field, issuing_bureau, valid_from,
                                                 valid_until, authority, status, requested_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', now())`,
      [row.requestId, row.person, row.tier, row.field, row.issuingBureau, row.validFrom, row.validUntil, row.authority],
    );
  }

  async findRequest(manager: EntityManager, requestId: string): Promise<CertificationRequestRow | undefined> {
    const [row] = await manager.query<CertificationRequestRow[]>(
      `select ${REQUEST_COLUMNS} from talent_certification_request where request_id = $1`,
      [requestId],
    );
    return row;
  }

  /** Answers a pending request (locking it); undefined when it was answered before. */
  async pendingRequestForUpdate(
    manager: EntityManager,
    requestId: string,
  ): Promise<CertificationRequestRow | undefined> {
    const [row] = await manager.query<CertificationRequestRow[]>(
      `select ${REQUEST_COLUMNS} from talent_certification_request where request_id = $1 and status = 'pending'
          for update`,
      [requestId],
    );
    return row;
  }

  async answerRequest(
    manager: EntityManager,
    requestId: string,
    answer: { status: 'certified' | 'refused'; certificationId: string | null; certifier: string },
  ): Promise<void> {
    await manager.query(
      `update talent_certification_request set status = $2, certification_id = $3, certifier = $4, answered_at = now()
        where request_id = $1 and status = 'pending'`,
      [requestId, answer.status, answer.certificationId, answer.certifier],
    );
  }

  /** Empties what was projected from peers (a replay rebuilds it). */
  async resetProjected(manager: EntityManager, region: string): Promise<void> {
    await manager.query('delete from talent_certification where origin <> $1', [region]);
  }
}

function normalise(row: CertificationRow): CertificationRow {
  return { ...row, certifiedAt: new Date(row.certifiedAt).toISOString() };
}
