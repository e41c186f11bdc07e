import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  CertificationStateV1,
  TALENT_CERTIFICATION_RENEWED_V1,
  TALENT_CERTIFICATION_REVOKED_V1,
  TALENT_CERTIFICATION_SUSPENDED_V1,
  TALENT_CERTIFIED_V1,
} from '@app/contracts';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { isCalendarDate } from '../common/calendar';
import { TalentProgramme } from '../config/talent-config';
import { TalentMetrics } from '../talent.metrics';
import { certificationNotFound } from './certification.errors';
import { CertificationRepository, CertificationRow } from './certification.repository';
import { CertifyDto } from './dto/certification.dto';

type Change = 'renewed' | 'suspended' | 'revoked';

const CHANGE_EVENT = {
  renewed: TALENT_CERTIFICATION_RENEWED_V1,
  suspended: TALENT_CERTIFICATION_SUSPENDED_V1,
  revoked: TALENT_CERTIFICATION_REVOKED_V1,
} as const;

/** Certifications issued by this city's HR bureau: the city is their only authority, and publishes every change. */
@Injectable()
export class CertificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly programme: TalentProgramme,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly publisher: BusPublisher,
    private readonly certifications: CertificationRepository,
    private readonly metrics: TalentMetrics,
  ) {}

  async certify(dto: CertifyDto): Promise<CertificationRow> {
    if (!this.programme.tiers.has(dto.tier)) {
      throw new DomainError('TALENT.UNKNOWN_TIER', 'invalid', `unknown tier ${dto.tier}`, {
        details: { tiers: [...this.programme.tiers.keys()] },
      });
    }
    assertValidity(dto.validFrom, dto.validUntil);
    const person = this.pseudonyms.of(dto.residentId);
    return this.dataSource.transaction(async (manager) => {
      // One city arbitrates a person's exclusive benefits: the one that certified them.
      const held = await this.certifications.byPerson(manager, person);
      const elsewhere = held.find((row) => row.origin !== this.config.region && row.status !== 'revoked');
      if (elsewhere) {
        throw new DomainError(
          'TALENT.CERTIFIED_ELSEWHERE',
          'conflict',
          `the person holds a certification of ${elsewhere.origin}; it is renewed there`,
          { details: { certifier: elsewhere.origin } },
        );
      }
      const state: CertificationStateV1 = {
        certificationId: randomUUID(),
        person,
        tier: dto.tier,
        field: dto.field,
        issuingBureau: dto.issuingBureau,
        validFrom: dto.validFrom,
        validUntil: dto.validUntil,
        status: 'active',
        certifiedAt: this.clock.now().toISOString(),
        version: 1,
      };
      await this.certifications.upsert(manager, this.config.region, state);
      await this.publisher.publish(manager, TALENT_CERTIFIED_V1, person, state);
      this.metrics.certificationChanges.inc({ action: 'certified' });
      return { ...state, origin: this.config.region, reason: null };
    });
  }

  renew(id: string, validUntil: string): Promise<CertificationRow> {
    return this.change(id, 'renewed', (current) => {
      if (current.status === 'revoked') throw revoked(id);
      assertValidity(current.validFrom, validUntil);
      return { validUntil, status: 'active', reason: undefined };
    });
  }

  suspend(id: string, reason?: string): Promise<CertificationRow> {
    return this.change(id, 'suspended', (current) => {
      if (current.status === 'revoked') throw revoked(id);
      return { status: 'suspended', reason };
    });
  }

  revoke(id: string, reason?: string): Promise<CertificationRow> {
    return this.change(id, 'revoked', (current) => {
      if (current.status === 'revoked') throw revoked(id);
      return { status: 'revoked', reason };
    });
  }

  private change(
    id: string,
    change: Change,
    apply: (current: CertificationRow) => Partial<CertificationStateV1>,
  ): Promise<CertificationRow> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const current = await this.certifications.findOwnForUpdate(manager, this.config.region, id);
      if (!current) throw certificationNotFound(id);
      const next = { ...current, reason: current.reason ?? undefined, ...apply(current) };
      const state: CertificationStateV1 = {
        certificationId: next.certificationId,
        person: next.person,
        tier: next.tier,
        field: next.field,
        issuingBureau: next.issuingBureau,
        validFrom: next.validFrom,
        validUntil: next.validUntil,
        status: next.status,
        certifiedAt: next.certifiedAt,
        version: current.version + 1,
        ...(next.reason !== undefined && { reason: next.reason }),
      };
      await this.certifications.upsert(manager, this.config.region, state);
      await this.publisher.publish(manager, CHANGE_EVENT[change], state.person, state);
      this.metrics.certificationChanges.inc({ action: change });
      return { ...state, origin: this.config.region, reason: state.reason ?? null };
    });
  }
}

function assertValidity(validFrom: string, validUntil: string): void {
  for (const [field, value] of [
    ['validFrom', validFrom],
    ['validUntil', validUntil],
  ]) {
    if (!isCalendarDate(value)) {
      throw new DomainError('TALENT.INVALID_DATE', 'invalid', `${field} ${value} is not a calendar date`);
    }
  }
  if (validUntil < validFrom) {
    throw new DomainError(
      'TALENT.VALIDITY_ENDS_BEFORE_START',
      'invalid',
      `validity ends (${validUntil}) before it starts (${validFrom})`,
    );
  }
}

function revoked(id: string): DomainError {
  return new DomainError('TALENT.CERTIFICATION_REVOKED', 'conflict', `certification ${id} is revoked`);
}
