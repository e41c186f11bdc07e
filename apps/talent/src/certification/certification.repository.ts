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

  /** Empties what was projected from peers (a replay rebuilds it). */
  async resetProjected(manager: EntityManager, region: string): Promise<void> {
    await manager.query('delete from talent_certification where origin <> $1', [region]);
  }
}

function normalise(row: CertificationRow): CertificationRow {
  return { ...row, certifiedAt: new Date(row.certifiedAt).toISOString() };
}
