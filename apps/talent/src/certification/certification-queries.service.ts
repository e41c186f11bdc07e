import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { DomainError } from '@app/http';
import { certificationNotFound } from './certification.errors';
import { CertificationRepository, CertificationRequestRow, CertificationRow } from './certification.repository';

/** Reads of the certifications this city issued. */
@Injectable()
export class CertificationQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly certifications: CertificationRepository,
  ) {}

  /** Only this city's own: another city's certifications are read through the (audited) status query. */
  async certification(id: string): Promise<CertificationRow> {
    const row = await this.certifications.find(this.dataSource.manager, id);
    if (!row || row.origin !== this.config.region) throw certificationNotFound(id);
    return row;
  }

  async request(id: string): Promise<CertificationRequestRow> {
    const row = await this.certifications.findRequest(this.dataSource.manager, id);
    if (!row) {
      throw new DomainError('TALENT.CERTIFICATION_REQUEST_NOT_FOUND', 'not-found', `no certification request ${id}`);
    }
    return row;
  }
}
