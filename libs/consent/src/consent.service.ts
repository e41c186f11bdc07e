import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  ConsentGrantedV1,
  ConsentRevokedV1,
  HEALTH_CONSENT_GRANTED_V1,
  HEALTH_CONSENT_REVOKED_V1,
} from '@app/contracts';
import { ConsentRecord, consentCovers, coveredRegions } from './consent.rules';

export type ConsentEvent =
  | { type: typeof HEALTH_CONSENT_GRANTED_V1; data: ConsentGrantedV1 }
  | { type: typeof HEALTH_CONSENT_REVOKED_V1; data: ConsentRevokedV1 };

/** What applying a consent event did: `changed` is false for a duplicate (or a grant already revoked). */
export interface ConsentChange {
  kind: 'granted' | 'revoked';
  home: string;
  consentId: string;
  patient: string;
  changed: boolean;
}

/** An EntityManager (inside a transaction) or the DataSource (a plain read). */
export type ConsentDb = Pick<EntityManager, 'query'> | Pick<DataSource, 'query'>;

interface ConsentRow {
  home: string;
  consent_id: string;
  patient: string;
  purpose: string | null;
  grantees: string[] | null;
  all_peers: boolean;
  valid_from: Date | null;
  valid_until: Date | null;
  granted_at: Date | null;
  revoked_at: Date | null;
}

/**
 * Consents by (home city, consent id): the home city's own (authoritative) and those replicated from peers, in the
 * same table. Applying is idempotent and order-tolerant: a grant and its revocation converge to "revoked" in either
 * order, and a duplicate changes nothing.
 */
@Injectable()
export class ConsentService {
  async apply(manager: EntityManager, home: string, event: ConsentEvent): Promise<ConsentChange> {
    switch (event.type) {
      case HEALTH_CONSENT_GRANTED_V1:
        return this.applyGrant(manager, home, event.data);
      case HEALTH_CONSENT_REVOKED_V1:
        return this.applyRevocation(manager, home, event.data);
    }
  }

  private async applyGrant(manager: EntityManager, home: string, grant: ConsentGrantedV1): Promise<ConsentChange> {
    // A consent id names one grant: a second copy (or a forged variant) never rewrites the first. A grant whose
    // revocation came first fills in its fields but stays revoked.
    const rows = await manager.query<unknown[]>(
      `insert into consent (home, consent_id, patient, purpose, grantees, all_peers, valid_from, valid_until, granted_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (home, consent_id) do update
         set purpose = excluded.purpose, grantees = excluded.grantees, all_peers = excluded.all_peers,
             valid_from = excluded.valid_from, valid_until = excluded.valid_until, granted_at = excluded.granted_at
         where consent.granted_at is null and consent.patient = excluded.patient
       returning consent.revoked_at is null as active`,
      [
        home,
        grant.consentId,
        grant.patient,
        grant.purpose,
        grant.allPeers ? null : (grant.grantees ?? []),
        grant.allPeers === true,
        grant.validFrom,
        grant.validUntil ?? null,
        grant.grantedAt,
      ],
    );
    const changed = (rows as { active: boolean }[]).some((row) => row.active);
    return { kind: 'granted', home, consentId: grant.consentId, patient: grant.patient, changed };
  }

  private async applyRevocation(
    manager: EntityManager,
    home: string,
    revocation: ConsentRevokedV1,
  ): Promise<ConsentChange> {
    const rows = await manager.query<unknown[]>(
      `insert into consent (home, consent_id, patient, revoked_at) values ($1, $2, $3, $4)
       on conflict (home, consent_id) do update set revoked_at = excluded.revoked_at
         where consent.revoked_at is null and consent.patient = excluded.patient
       returning 1`,
      [home, revocation.consentId, revocation.patient, revocation.revokedAt],
    );
    return {
      kind: 'revoked',
      home,
      consentId: revocation.consentId,
      patient: revocation.patient,
      changed: rows.length > 0,
    };
  }

  /** Whether `region` may hold or read the patient's data (from `home`) for `purpose` at `at`. */
  async isActive(
    db: ConsentDb,
    query: { patient: string; home: string; region: string; purpose: string; at: Date },
  ): Promise<boolean> {
    const consents = await this.forPatients(db, query.home, [query.patient]);
    return consents.some((consent) => consentCovers(consent, query));
  }

  /** The regions among `peers` that may hold the patient's data for `purpose` at `at`. */
  async activeRegions(
    db: ConsentDb,
    query: { patient: string; home: string; peers: string[]; purpose: string; at: Date },
  ): Promise<string[]> {
    const consents = await this.forPatients(db, query.home, [query.patient]);
    return coveredRegions(consents, query.peers, query.purpose, query.at);
  }

  /**
   * Of `patients` (from `home`), those whose data `region` may no longer hold for `purpose` at `at`: what it must
   * purge, e.g. after a revocation or once a consent has expired.
   */
  async patientsPurgeable(
    db: ConsentDb,
    query: { patients: string[]; home: string; region: string; purpose: string; at: Date },
  ): Promise<string[]> {
    const consents = await this.forPatients(db, query.home, query.patients);
    return [...new Set(query.patients)].filter(
      (patient) => !consents.some((consent) => consent.patient === patient && consentCovers(consent, query)),
    );
  }

  async find(db: ConsentDb, home: string, consentId: string): Promise<ConsentRecord | undefined> {
    const rows = await db.query<ConsentRow[]>('select * from consent where home = $1 and consent_id = $2', [
      home,
      consentId,
    ]);
    return rows.map(toRecord)[0];
  }

  /** Every consent known for these patients of `home`, granted or revoked. */
  async forPatients(db: ConsentDb, home: string, patients: string[]): Promise<ConsentRecord[]> {
    const rows = await db.query<ConsentRow[]>(
      'select * from consent where home = $1 and patient = any($2::text[]) order by granted_at nulls last, consent_id',
      [home, patients],
    );
    return rows.map(toRecord);
  }
}

function toRecord(row: ConsentRow): ConsentRecord {
  return {
    home: row.home,
    consentId: row.consent_id,
    patient: row.patient,
    purpose: row.purpose,
    grantees: row.grantees,
    allPeers: row.all_peers,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    grantedAt: row.granted_at,
    revokedAt: row.revoked_at,
  };
}
