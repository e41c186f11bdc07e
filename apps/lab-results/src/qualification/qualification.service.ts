import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  LAB_QUALIFICATION_GRANTED_V1,
  LAB_QUALIFICATION_SUSPENDED_V1,
  LabQualificationGrantedV1,
  LabQualificationSuspendedV1,
} from '@app/contracts';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { QualificationPeriod } from '../reuse/reuse-rules';
import { QualificationGrantDto, QualificationSuspendDto } from './dto/qualification-grant.dto';

interface QualificationRow {
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

/** Each city's labs' qualifications (accreditation, EQA, validity, suspension), published to every peer. */
@Injectable()
export class QualificationService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: BusPublisher,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly replay: ReplayService,
  ) {}

  /** The peers' lab qualifications; this city's own stay. */
  onModuleInit(): void {
    this.replay.registerProjection(async (manager) => {
      await manager.query('delete from lab_qualification where region <> $1', [this.config.region]);
    });
  }

  async grant(dto: QualificationGrantDto) {
    if (new Date(dto.validUntil) <= new Date(dto.validFrom)) {
      throw new DomainError('LAB.QUALIFICATION_PERIOD_EMPTY', 'invalid', 'validUntil must be after validFrom');
    }
    const payload: LabQualificationGrantedV1 = { qualificationId: randomUUID(), ...dto };
    await this.dataSource.transaction(async (manager) => {
      await this.storeGranted(manager, this.config.region, payload);
      await this.publisher.publish(manager, LAB_QUALIFICATION_GRANTED_V1, `lab/${dto.labId}`, payload);
    });
    return { region: this.config.region, ...payload };
  }

  async suspend(qualificationId: string, dto: QualificationSuspendDto) {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<QualificationRow[]>(
        'select * from lab_qualification where qualification_id = $1 and region = $2 for update',
        [qualificationId, this.config.region],
      );
      if (!row) {
        throw new DomainError('LAB.QUALIFICATION_NOT_FOUND', 'not-found', `no qualification ${qualificationId} here`);
      }
      if (row.suspended_from) {
        throw new DomainError(
          'LAB.ALREADY_SUSPENDED',
          'conflict',
          `suspended since ${row.suspended_from.toISOString()}; a reinstated lab gets a new qualification`,
        );
      }
      const payload: LabQualificationSuspendedV1 = {
        qualificationId,
        labId: row.lab_id,
        suspendedFrom: dto.suspendedFrom ?? this.clock.now().toISOString(),
        reason: dto.reason,
      };
      await this.storeSuspended(manager, this.config.region, payload);
      await this.publisher.publish(manager, LAB_QUALIFICATION_SUSPENDED_V1, `lab/${row.lab_id}`, payload);
      return { region: this.config.region, ...payload };
    });
  }

  async storeGranted(manager: EntityManager, region: string, q: LabQualificationGrantedV1): Promise<void> {
    await manager.query(
      `insert into lab_qualification
         (qualification_id, region, lab_id, lab_name, accreditation, eqa_result, valid_from, valid_until)
       values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing`,
      [q.qualificationId, region, q.labId, q.labName, q.accreditation, q.eqaResult, q.validFrom, q.validUntil],
    );
  }

  /** A suspension only ever moves earlier: the first one recorded stands unless a later event names an earlier time. */
  async storeSuspended(manager: EntityManager, region: string, s: LabQualificationSuspendedV1): Promise<void> {
    await manager.query(
      `update lab_qualification set suspended_from = least(coalesce(suspended_from, $3), $3), suspension_reason = $4
        where qualification_id = $1 and region = $2`,
      [s.qualificationId, region, s.suspendedFrom, s.reason],
    );
  }

  async list(region: string | undefined, labId: string | undefined) {
    const rows = await this.dataSource.query<QualificationRow[]>(
      `select * from lab_qualification where ($1::text is null or region = $1) and ($2::text is null or lab_id = $2)
        order by region, lab_id, valid_from`,
      [region ?? null, labId ?? null],
    );
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
    const rows = await manager.query<QualificationRow[]>(
      `select q.* from lab_qualification q
         join unnest($1::text[], $2::text[]) as l(region, lab_id) using (region, lab_id)`,
      [labs.map((lab) => lab.region), labs.map((lab) => lab.labId)],
    );
    for (const row of rows) {
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
