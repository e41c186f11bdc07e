import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LabQualificationGrantedV1, LabQualificationSuspendedV1 } from '@app/contracts';

export interface QualificationRow {
  qualification_id: string;
  region: string;
  lab_id: string;
  lab_name: string;
  accreditation: string;
  eqa_result: string;
  valid_from: Date;
  valid_until: Date;
  suspended_from: Date | null;
  suspension_reason: string | null;
}

/** The labs' qualifications of every city known here (`region`: the city that granted them). */
@Injectable()
export class QualificationRepository {
  async insert(manager: EntityManager, region: string, q: LabQualificationGrantedV1): Promise<void> {
    await manager.query(
      `insert into lab_qualification
         (qualification_id, region, lab_id, lab_name, accreditation, eqa_result, valid_from, valid_until)
       values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing`,
      [q.qualificationId, region, q.labId, q.labName, q.accreditation, q.eqaResult, q.validFrom, q.validUntil],
    );
  }

  /** A suspension only ever moves earlier: the first one recorded stands unless a later event names an earlier time. */
  async suspend(manager: EntityManager, region: string, s: LabQualificationSuspendedV1): Promise<void> {
    await manager.query(
      `update lab_qualification set suspended_from = least(coalesce(suspended_from, $3), $3), suspension_reason = $4
        where qualification_id = $1 and region = $2`,
      [s.qualificationId, region, s.suspendedFrom, s.reason],
    );
  }

  async findForUpdate(
    manager: EntityManager,
    region: string,
    qualificationId: string,
  ): Promise<QualificationRow | undefined> {
    const [row] = await manager.query<QualificationRow[]>(
      'select * from lab_qualification where qualification_id = $1 and region = $2 for update',
      [qualificationId, region],
    );
    return row;
  }

  /** Every qualification, or those of one region and/or lab. */
  async list(manager: EntityManager, region: string | undefined, labId: string | undefined) {
    return manager.query<QualificationRow[]>(
      `select * from lab_qualification where ($1::text is null or region = $1) and ($2::text is null or lab_id = $2)
        order by region, lab_id, valid_from`,
      [region ?? null, labId ?? null],
    );
  }

  /** The qualifications of the given labs. */
  async ofLabs(manager: EntityManager, labs: { region: string; labId: string }[]): Promise<QualificationRow[]> {
    return manager.query<QualificationRow[]>(
      `select q.* from lab_qualification q
         join unnest($1::text[], $2::text[]) as l(region, lab_id) using (region, lab_id)`,
      [labs.map((lab) => lab.region), labs.map((lab) => lab.labId)],
    );
  }

  /** Deletes every qualification but `region`'s own. */
  async deleteAllBut(manager: EntityManager, region: string): Promise<void> {
    await manager.query('delete from lab_qualification where region <> $1', [region]);
  }
}
