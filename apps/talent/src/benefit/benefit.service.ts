import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { ClaimRequestedV1, TALENT_CLAIM_REQUESTED_V1 } from '@app/contracts';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { CertificationRepository, CertificationRow } from '../certification/certification.repository';
import { chinaDate } from '../common/calendar';
import { BenefitDto, TalentProgramme } from '../config/talent-config';
import { TalentMetrics } from '../talent.metrics';
import { certifierOf, decideClaim, outcomeOf } from './arbitration';
import { BenefitArbitrationService } from './benefit-arbitration.service';
import { BenefitGrantService } from './benefit-grant.service';
import { BenefitRepository, ClaimRow } from './benefit.repository';
import { ClaimView, claimView } from './claim-view';
import { ClaimDto } from './dto/claim.dto';

type NewClaim = Omit<ClaimRow, 'decidedAt'>;

/**
 * Benefit claims made in this city. A shared benefit is granted by the city asked; an exclusive one only by the
 * city that certified the person, which decides every claim for it, its own city's included.
 */
@Injectable()
export class BenefitService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly programme: TalentProgramme,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly publisher: BusPublisher,
    private readonly certifications: CertificationRepository,
    private readonly benefits: BenefitRepository,
    private readonly arbitration: BenefitArbitrationService,
    private readonly grants: BenefitGrantService,
    private readonly metrics: TalentMetrics,
  ) {}

  async claim(principal: Principal, dto: ClaimDto): Promise<ClaimView> {
    const benefit = this.programme.benefits.get(dto.benefitCode);
    if (!benefit || !this.programme.offers(benefit)) {
      throw new DomainError(
        'TALENT.UNKNOWN_BENEFIT',
        'not-found',
        `${dto.benefitCode} is not in the benefit catalogue of ${this.config.region}`,
      );
    }
    if (dto.certifier !== undefined && !this.config.registry.has(dto.certifier)) {
      throw new DomainError('TALENT.UNKNOWN_REGION', 'invalid', `no region ${dto.certifier}`);
    }
    const person = this.pseudonyms.of(dto.residentId);
    const view = await this.dataSource.transaction(async (manager) => {
      const held = await this.certifications.byPerson(manager, person);
      if (held.length === 0) {
        throw new DomainError('TALENT.NOT_CERTIFIED', 'not-found', 'the person holds no certification of any city');
      }
      const now = this.clock.now();
      const claim: NewClaim = {
        claimId: randomUUID(),
        person,
        benefitCode: benefit.code,
        certifier: this.config.region,
        status: 'pending',
        reason: null,
        grantedIn: null,
        requestedBy: principal.org,
        requestedAt: now,
        deadline: new Date(now.getTime() + this.programme.claimTimeoutMs),
      };
      if (benefit.kind === 'shared') return this.grantShared(manager, claim, benefit, held);

      const certifier = certifierOf(held);
      const addressedTo = dto.certifier ?? certifier;
      if (addressedTo === this.config.region && certifier === this.config.region) {
        await this.benefits.insertClaim(manager, claim);
        await this.arbitration.arbitrate(manager, requestOf(claim, this.config.region, now));
        return this.viewOf(manager, claim.claimId);
      }
      // Addressed to this city though another certified the person: passed on, never granted here.
      const target = addressedTo === this.config.region ? certifier : addressedTo;
      await this.benefits.insertClaim(manager, { ...claim, certifier: target });
      const request = requestOf(claim, this.config.region, now);
      if (addressedTo === this.config.region) request.redirectedBy = this.config.region;
      await this.publisher.publish(manager, TALENT_CLAIM_REQUESTED_V1, person, request, { target });
      return claimView({ ...claim, certifier: target, decidedAt: null }, this.clock.now());
    });
    this.metrics.claims.inc({ kind: benefit.kind, outcome: view.status });
    return view;
  }

  private async grantShared(
    manager: EntityManager,
    claim: NewClaim,
    benefit: BenefitDto,
    held: CertificationRow[],
  ): Promise<ClaimView> {
    const verdict = decideClaim({ benefit, certifications: held, on: chinaDate(claim.requestedAt) });
    await this.benefits.insertClaim(manager, claim);
    if (verdict.decision === 'granted') {
      await this.grants.record(manager, {
        grantId: randomUUID(),
        claimId: claim.claimId,
        person: claim.person,
        benefitCode: benefit.code,
        exclusive: false,
        grantedIn: this.config.region,
        grantedAt: claim.requestedAt.toISOString(),
      });
    }
    await this.benefits.decideClaim(manager, claim.claimId, {
      ...outcomeOf(verdict, this.config.region),
      decidedAt: claim.requestedAt,
    });
    return this.viewOf(manager, claim.claimId);
  }

  private async viewOf(manager: EntityManager, claimId: string): Promise<ClaimView> {
    return claimView((await this.benefits.findClaim(manager, claimId))!, this.clock.now());
  }
}

function requestOf(claim: NewClaim, claimant: string, now: Date): ClaimRequestedV1 {
  return {
    claimId: claim.claimId,
    person: claim.person,
    benefitCode: claim.benefitCode,
    claimant,
    claimedOn: chinaDate(now),
  };
}
