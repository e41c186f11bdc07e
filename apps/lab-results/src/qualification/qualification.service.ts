import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  LAB_QUALIFICATION_GRANTED_V1,
  LAB_QUALIFICATION_SUSPENDED_V1,
  LabQualificationGrantedV1,
  LabQualificationSuspendedV1,
} from '@app/contracts';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { QualificationGrantDto, QualificationSuspendDto } from './dto/qualification-grant.dto';
import { QualificationRepository } from './qualification.repository';

/** This city's labs' qualifications (accreditation, EQA, validity, suspension), published to every peer. */
@Injectable()
export class QualificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: BusPublisher,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly qualifications: QualificationRepository,
  ) {}

  async grant(dto: QualificationGrantDto) {
    if (new Date(dto.validUntil) <= new Date(dto.validFrom)) {
      throw new DomainError('LAB.QUALIFICATION_PERIOD_EMPTY', 'invalid', 'validUntil must be after validFrom');
    }
    const payload: LabQualificationGrantedV1 = { qualificationId: randomUUID(), ...dto };
    await this.dataSource.transaction(async (manager) => {
      await this.qualifications.insert(manager, this.config.region, payload);
      await this.publisher.publish(manager, LAB_QUALIFICATION_GRANTED_V1, `lab/${dto.labId}`, payload);
    });
    return { region: this.config.region, ...payload };
  }

  async suspend(qualificationId: string, dto: QualificationSuspendDto) {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.qualifications.findForUpdate(manager, this.config.region, qualificationId);
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
      await this.qualifications.suspend(manager, this.config.region, payload);
      await this.publisher.publish(manager, LAB_QUALIFICATION_SUSPENDED_V1, `lab/${row.lab_id}`, payload);
      return { region: this.config.region, ...payload };
    });
  }
}
