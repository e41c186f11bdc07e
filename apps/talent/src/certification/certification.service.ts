import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  AUTHORITY_MAX_GRANTS,
  AuthorityHandedOverV1,
  AuthorityRefusedV1,
  AuthorityRequestedV1,
  CertificationStateV1,
  TALENT_AUTHORITY_HANDED_OVER_V1,
  TALENT_AUTHORITY_REFUSED_V1,
  TALENT_AUTHORITY_REQUESTED_V1,
  TALENT_CERTIFICATION_RENEWED_V1,
  TALENT_CERTIFICATION_REVOKED_V1,
  TALENT_CERTIFICATION_SUSPENDED_V1,
  TALENT_CERTIFIED_V1,
} from '@app/contracts';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { BenefitRepository } from '../benefit/benefit.repository';
import { isCalendarDate } from '../common/calendar';
import { TalentProgramme } from '../config/talent-config';
import { TalentMetrics } from '../talent.metrics';
import { CertificationAnswers } from './certification-answers';
import { certificationNotFound } from './certification.errors';
import { CertificationRepository, CertificationRow } from './certification.repository';
import { CertifyDto } from './dto/certification.dto';
import { MAX_HOPS, PersonAuthorityService } from './person-authority.service';

type IssuedFields = Pick<CertificationStateV1, 'tier' | 'field' | 'issuingBureau' | 'validFrom' | 'validUntil'>;

/** A certification asked of the person's authority and not answered yet (202). */
export interface CertificationRequestView {
  requestId: string;
  status: 'pending';
  authority: string;
}

/** How long a certifying request waits for the authority's answer before answering 202 with the pending request. */
const CERTIFY_WAIT_MS = 10_000;
/** The slow poll behind the wake-up on commit (an answer recorded by another instance of this city). */
const ANSWER_POLL_MS = 1000;

type Change = 'renewed' | 'suspended' | 'revoked';

const CHANGE_EVENT = {
  renewed: TALENT_CERTIFICATION_RENEWED_V1,
  suspended: TALENT_CERTIFICATION_SUSPENDED_V1,
  revoked: TALENT_CERTIFICATION_REVOKED_V1,
} as const;

/**
 * Certifications issued by this city's HR bureau: the city is their only authority, and publishes every change. A
 * person is certified only by the holder of their authority, which is handed over from city to city on request.
 */
@Injectable()
export class CertificationService {
  private readonly logger = new Logger(CertificationService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly programme: TalentProgramme,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly publisher: BusPublisher,
    private readonly certifications: CertificationRepository,
    private readonly benefits: BenefitRepository,
    private readonly authority: PersonAuthorityService,
    private readonly answers: CertificationAnswers,
    private readonly metrics: TalentMetrics,
  ) {}

  /**
   * Certifies at once when this city holds the person's authority; else asks the holder to hand it over and waits
   * a while for the answer (201 certified, 409 certified elsewhere, or the pending request, completed later).
   */
  async certify(dto: CertifyDto): Promise<CertificationRow | CertificationRequestView> {
    if (!this.programme.tiers.has(dto.tier)) {
      throw new DomainError('TALENT.UNKNOWN_TIER', 'invalid', `unknown tier ${dto.tier}`, {
        details: { tiers: [...this.programme.tiers.keys()] },
      });
    }
    assertValidity(dto.validFrom, dto.validUntil);
    const person = this.pseudonyms.of(dto.residentId);
    const fields: IssuedFields = {
      tier: dto.tier,
      field: dto.field,
      issuingBureau: dto.issuingBureau,
      validFrom: dto.validFrom,
      validUntil: dto.validUntil,
    };
    const first = await this.dataSource.transaction(async (manager) => {
      await this.authority.lock(manager, person);
      refuseIfCertifiedElsewhere(await this.certifications.byPerson(manager, person), this.config.region);
      const { holder } = await this.authority.holderOf(manager, person);
      if (holder === this.config.region) return this.issue(manager, person, fields);
      const requestId = randomUUID();
      await this.certifications.insertRequest(manager, {
        requestId,
        person,
        ...fields,
        authority: holder,
        status: 'pending',
        certificationId: null,
        certifier: null,
      });
      await this.publisher.publish(
        manager,
        TALENT_AUTHORITY_REQUESTED_V1,
        person,
        { requestId, person, requester: this.config.region, hops: 0 },
        { target: holder },
      );
      return { requestId, status: 'pending' as const, authority: holder };
    });
    return 'certificationId' in first ? first : this.awaitAnswer(first);
  }

  /**
   * The holder of a person's authority answers a city that wants to certify them: refused while a certification
   * not revoked exists, else handed over with the ledger of exclusive grants. A city that handed it on passes the
   * request on to the city it handed it to.
   */
  async answerAuthorityRequest(manager: EntityManager, origin: string, request: AuthorityRequestedV1): Promise<void> {
    if (origin !== request.requester && origin !== request.forwardedBy) {
      throw new DomainError(
        'TALENT.FOREIGN_AUTHORITY_REQUEST',
        'forbidden',
        `${origin} asked for the authority in the name of ${request.requester} without having passed it on`,
      );
    }
    const { person, requestId, requester } = request;
    await this.authority.lock(manager, person);
    const current = await this.authority.holderOf(manager, person);
    if (current.holder !== this.config.region) {
      if (request.hops >= MAX_HOPS) return this.refuse(manager, request, current.holder);
      const passed: AuthorityRequestedV1 = { ...request, forwardedBy: this.config.region, hops: request.hops + 1 };
      await this.publisher.publish(manager, TALENT_AUTHORITY_REQUESTED_V1, person, passed, { target: current.holder });
      return;
    }
    const live = (await this.certifications.byPerson(manager, person)).find(
      (row) => row.status !== 'revoked' && row.origin !== requester,
    );
    if (live) return this.refuse(manager, request, live.origin);
    if (requester === this.config.region) {
      // This city's own request came back to it: the authority is here already.
      return this.takeOver(manager, { requestId, person, epoch: current.epoch, grants: [] });
    }
    const grants = await this.benefits.exclusiveGrants(manager, person);
    // Unreachable with one programme (it offers at most AUTHORITY_MAX_GRANTS exclusive benefits); if the cities'
    // programmes ever differ, the authority stays here rather than travel without part of its ledger.
    if (grants.length > AUTHORITY_MAX_GRANTS) {
      this.logger.error(`authority over ${person} kept: ${grants.length} exclusive grants exceed AUTHORITY_MAX_GRANTS`);
      return this.refuse(manager, request, this.config.region);
    }
    const epoch = current.epoch + 1;
    await this.certifications.setAuthority(manager, person, { holder: requester, epoch });
    await this.publisher.publish(
      manager,
      TALENT_AUTHORITY_HANDED_OVER_V1,
      person,
      { requestId, person, epoch, grants },
      { target: requester },
    );
  }

  /** The authority handed over to this city: its ledger is recorded and the requested certification issued. */
  async takeOver(manager: EntityManager, handOver: AuthorityHandedOverV1): Promise<void> {
    const { person } = handOver;
    await this.authority.lock(manager, person);
    const request = await this.certifications.findRequest(manager, handOver.requestId);
    if (!request || request.person !== person) {
      throw new DomainError('TALENT.UNREQUESTED_AUTHORITY', 'forbidden', `no request ${handOver.requestId} here`);
    }
    await this.certifications.setAuthority(manager, person, { holder: this.config.region, epoch: handOver.epoch });
    await this.benefits.insertHandedOverGrants(manager, person, handOver.grants);
    if (!(await this.certifications.pendingRequestForUpdate(manager, request.requestId))) return;
    const issued = await this.issue(manager, person, request);
    this.answers.answered(manager, request.requestId);
    await this.certifications.answerRequest(manager, request.requestId, {
      status: 'certified',
      certificationId: issued.certificationId,
      certifier: this.config.region,
    });
  }

  async refused(manager: EntityManager, refusal: AuthorityRefusedV1): Promise<void> {
    this.answers.answered(manager, refusal.requestId);
    await this.certifications.answerRequest(manager, refusal.requestId, {
      status: 'refused',
      certificationId: null,
      certifier: refusal.certifier,
    });
  }

  private async refuse(manager: EntityManager, request: AuthorityRequestedV1, certifier: string): Promise<void> {
    const refusal: AuthorityRefusedV1 = { requestId: request.requestId, person: request.person, certifier };
    if (request.requester === this.config.region) return this.refused(manager, refusal);
    await this.publisher.publish(manager, TALENT_AUTHORITY_REFUSED_V1, request.person, refusal, {
      target: request.requester,
    });
  }

  /** Issues a certification in the caller's transaction; this city holds the person's authority. */
  private async issue(manager: EntityManager, person: string, fields: IssuedFields): Promise<CertificationRow> {
    const { epoch } = await this.authority.holderOf(manager, person);
    await this.certifications.setAuthority(manager, person, { holder: this.config.region, epoch });
    const state: CertificationStateV1 = {
      certificationId: randomUUID(),
      person,
      tier: fields.tier,
      field: fields.field,
      issuingBureau: fields.issuingBureau,
      validFrom: fields.validFrom,
      validUntil: fields.validUntil,
      status: 'active',
      certifiedAt: this.clock.now().toISOString(),
      version: 1,
    };
    await this.certifications.upsert(manager, this.config.region, state);
    await this.publisher.publish(manager, TALENT_CERTIFIED_V1, person, state);
    this.metrics.certificationChanges.inc({ action: 'certified' });
    return { ...state, origin: this.config.region, reason: null };
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

  /** Waits for the holder's answer; past the wait the request stays pending and is completed when it comes. */
  private async awaitAnswer(pending: CertificationRequestView): Promise<CertificationRow | CertificationRequestView> {
    const deadline = Date.now() + CERTIFY_WAIT_MS;
    for (;;) {
      const answered = this.answers.next(
        pending.requestId,
        Math.max(0, Math.min(ANSWER_POLL_MS, deadline - Date.now())),
      );
      const request = await this.certifications.findRequest(this.dataSource.manager, pending.requestId);
      if (request?.status === 'certified') {
        return (await this.certifications.find(this.dataSource.manager, request.certificationId!))!;
      }
      if (request?.status === 'refused') refuseIfCertifiedElsewhere([], this.config.region, request.certifier!);
      if (Date.now() >= deadline) return pending;
      await answered;
    }
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

/** A person certified by another city (not revoked) is not certified here: that city holds their authority. */
function refuseIfCertifiedElsewhere(held: CertificationRow[], region: string, known?: string): void {
  const certifier = known ?? held.find((row) => row.origin !== region && row.status !== 'revoked')?.origin;
  if (certifier === undefined) return;
  throw new DomainError(
    'TALENT.CERTIFIED_ELSEWHERE',
    'conflict',
    `the person holds a certification of ${certifier}; it is renewed there`,
    { details: { certifier } },
  );
}

function revoked(id: string): DomainError {
  return new DomainError('TALENT.CERTIFICATION_REVOKED', 'conflict', `certification ${id} is revoked`);
}
