import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { QualificationPeriod } from '../reuse/reuse-rules';
import { QualificationRepository } from './qualification.repository';

/** The labs' qualifications of every city known here, as the API lists them and as the reuse rules judge them. */
@Injectable()
export class QualificationQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly qualifications: QualificationRepository,
  ) {}

  async list(region: string | undefined, labId: string | undefined) {
    const rows = await this.qualifications.list(this.dataSource.manager, region, labId);
    return rows.map((row) => ({
      qualificationId: row.qualification_id,
      region: row.region,
      labId: row.lab_id,
      labName: row.lab_name,
      accreditation: row.accreditation,
      eqaResult: row.eqa_result,
      validFrom: row.valid_from.toISOString(),
      validUntil: row.valid_until.toISOString(),
      suspendedFrom: row.suspended_from?.toISOString() ?? null,
      suspensionReason: row.suspension_reason,
    }));
  }

  /** The qualification periods of the given labs, by `region/labId`. */
  async periods(manager: EntityManager, labs: { region: string; labId: string }[]) {
    const result = new Map<string, QualificationPeriod[]>();
    if (labs.length === 0) return result;
    for (const row of await this.qualifications.ofLabs(manager, labs)) {
      const key = `${row.region}/${row.lab_id}`;
      const periods = result.get(key) ?? [];
      periods.push({
        validFrom: row.valid_from,
        validUntil: row.valid_until,
        eqaPassed: row.eqa_result === 'pass',
        suspendedFrom: row.suspended_from,
      });
      result.set(key, periods);
    }
    return result;
  }
}
