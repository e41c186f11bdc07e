import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  AFFAIRS_LICENCE_ISSUED_V1,
  AFFAIRS_LICENCE_REINSTATED_V1,
  AFFAIRS_LICENCE_REVOKED_V1,
  AFFAIRS_LICENCE_SUSPENDED_V1,
  LicenceStateV1,
  LicenceStatus,
} from '@app/contracts';
import { DomainError } from '@app/http';
import { MatterEntry } from '../catalogue/matter-catalogue';
import { chinaDate } from '../clock/working-calendar';
import { CaseRow } from '../cases/case.repository';
import { signLicence } from './licence-signature';
import { LicenceRepository } from './licence.repository';

/** How long a licence issued here is valid (years), unless a later change ends it. */
const VALIDITY_YEARS = 5;

const CHANGE_EVENT = {
  suspended: AFFAIRS_LICENCE_SUSPENDED_V1,
  revoked: AFFAIRS_LICENCE_REVOKED_V1,
  valid: AFFAIRS_LICENCE_REINSTATED_V1,
} as const;

/** Where a licence may go from each status: a revocation is final. */
const ALLOWED: Record<LicenceStatus, readonly LicenceStatus[]> = {
  valid: ['suspended', 'revoked'],
  suspended: ['valid', 'revoked'],
  revoked: [],
};

/**
 * Electronic licences issued by this city (a case whose result is a licence, issued with its result), signed with
 * this region's key and published to every city, which keep the register; suspensions and revocations follow.
 */
@Injectable()
export class LicencesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly publisher: BusPublisher,
    private readonly licences: LicenceRepository,
  ) {}

  /** Issues the licence of a case, once (a case has at most one). */
  async issue(manager: EntityManager, row: CaseRow, matter: MatterEntry, now: Date): Promise<void> {
    if (row.applicant_kind !== 'enterprise' || row.credit_code === null) return;
    if (await this.licences.byApplication(manager, row.application_id)) return;
    const { registry, region } = this.config;
    const division = row.credit_code.slice(2, 8);
    const validFrom = chinaDate(now);
    const content = {
      licenceId: randomUUID(),
      creditCode: row.credit_code,
      holderName: row.identity.enterpriseName ?? row.identity.name,
      scope: `${matter.name.en} (${matter.name.zh})`,
      matterCode: matter.code,
      registeredRegion: registry.regions.find((candidate) => candidate.areaCodes.includes(division))?.name ?? region,
      issuingAuthority: `${registry.get(region).label} ${matter.department.en}`.slice(0, 200),
      validFrom,
      validUntil: `${Number(validFrom.slice(0, 4)) + VALIDITY_YEARS}${validFrom.slice(4)}`,
      issuedAt: now.toISOString(),
    };
    const state: LicenceStateV1 = {
      ...content,
      status: 'valid',
      version: 1,
      ...signLicence(content, region, this.config.signingKey),
    };
    await this.licences.insertOwn(manager, region, row.application_id, state);
    await this.publisher.publish(manager, AFFAIRS_LICENCE_ISSUED_V1, `licence/${state.creditCode}`, state);
  }

  /** Suspends, revokes or reinstates a licence this city issued: 409 when it cannot go there. */
  async change(licenceId: string, status: LicenceStatus, reason: string | undefined): Promise<LicenceStateV1> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.licences.lockOwn(manager, this.config.region, licenceId);
      if (!row) {
        throw new DomainError('AFFAIRS.LICENCE_NOT_FOUND', 'not-found', `No licence ${licenceId} issued here`);
      }
      if (!ALLOWED[row.state.status].includes(status)) {
        throw new DomainError(
          'AFFAIRS.ILLEGAL_LICENCE_CHANGE',
          'conflict',
          `A licence ${row.state.status} cannot become ${status}`,
        );
      }
      const state: LicenceStateV1 = { ...row.state, status, version: row.state.version + 1, ...(reason && { reason }) };
      if (!reason) delete state.reason;
      await this.licences.update(manager, state);
      await this.publisher.publish(manager, CHANGE_EVENT[status], `licence/${state.creditCode}`, state);
      return state;
    });
  }
}
