import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { GrantRow } from '../benefit/benefit.repository';
import { CertificationRow } from '../certification/certification.repository';
import { HukouFactRow } from '../hukou/hukou.repository';

export interface PersonRecord {
  certifications: CertificationRow[];
  hukou: HukouFactRow[];
  grants: GrantRow[];
}

/** Everything the status query shows of some people, in one statement (one round trip per batch of queries). */
@Injectable()
export class StatusRepository {
  async byPeople(manager: EntityManager, people: string[]): Promise<Map<string, PersonRecord>> {
    const rows = await manager.query<({ person: string } & PersonRecord)[]>(
      `select p.person,
              coalesce((select json_agg(json_build_object(
                          'certificationId', c.certification_id, 'person', c.person, 'origin', c.origin,
                          'tier', c.tier, 'field', c.field, 'issuingBureau', c.issuing_bureau,
                          'validFrom', to_char(c.valid_from, 'YYYY-MM-DD'),
                          'validUntil', to_char(c.valid_until, 'YYYY-MM-DD'), 'status', c.status,
                          'certifiedAt', c.certified_at, 'version', c.version, 'reason', c.reason)
                          order by c.certified_at, c.certification_id)
                          from talent_certification c where c.person = p.person), '[]') as certifications,
              coalesce((select json_agg(json_build_object(
                          'factId', h.fact_id, 'person', h.person, 'origin', h.origin, 'change', h.change,
                          'on', to_char(h.on_date, 'YYYY-MM-DD'), 'recordedAt', h.recorded_at)
                          order by h.origin, h.on_date, h.recorded_at)
                          from talent_hukou_fact h where h.person = p.person), '[]') as hukou,
              coalesce((select json_agg(json_build_object(
                          'grantId', g.grant_id, 'claimId', g.claim_id, 'person', g.person,
                          'benefitCode', g.benefit_code, 'exclusive', g.exclusive, 'grantedIn', g.granted_in,
                          'origin', g.origin, 'grantedAt', g.granted_at)
                          order by g.granted_at, g.grant_id)
                          from talent_benefit_grant g where g.person = p.person), '[]') as grants
         from unnest($1::text[]) as p(person)`,
      [people],
    );
    const iso = (value: string) => new Date(value).toISOString();
    return new Map(
      rows.map(({ person, certifications, hukou, grants }) => [
        person,
        {
          certifications: certifications.map((row) => ({ ...row, certifiedAt: iso(row.certifiedAt) })),
          hukou: hukou.map((row) => ({ ...row, recordedAt: iso(row.recordedAt) })),
          grants: grants.map((row) => ({ ...row, grantedAt: iso(row.grantedAt) })),
        },
      ]),
    );
  }
}
