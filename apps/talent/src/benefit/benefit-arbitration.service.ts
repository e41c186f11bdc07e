import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import { ClaimDecidedV1, ClaimRequestedV1, TALENT_CLAIM_DECIDED_V1, TALENT_CLAIM_REQUESTED_V1 } from '@app/contracts';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { CertificationRepository } from '../certification/certification.repository';
import { TalentProgramme } from '../config/talent-config';
import { TalentMetrics } from '../talent.metrics';
import { MAX_HOPS, PersonAuthorityService } from '../certification/person-authority.service';
import { Verdict, decideClaim, outcomeOf } from './arbitration';
import { BenefitGrantService } from './benefit-grant.service';
import { BenefitRepository } from './benefit.repository';

/**
 * This city as the holder of a person's authority (their certifier): it decides every claim for an exclusive benefit
 * of the person, whichever city claims, one at a time per person, and records each decision in its ledger, which is
 * handed over with the authority.
 */
@Injectable()
export class BenefitArbitrationService {
  constructor(
    private readonly config: AppConfig,
    private readonly programme: TalentProgramme,
    private readonly clock: Clock,
    private readonly publisher: BusPublisher,
    private readonly certifications: CertificationRepository,
    private readonly benefits: BenefitRepository,
    private readonly grants: BenefitGrantService,
    private readonly authority: PersonAuthorityService,
    private readonly metrics: TalentMetrics,
  ) {}

  /** A claim from another city: sent by its claimant, or passed on by a city that did not certify the person. */
  async arbitrateFrom(manager: EntityManager, origin: string, claim: ClaimRequestedV1): Promise<void> {
    if (origin !== claim.claimant && origin !== claim.redirectedBy) {
      throw new DomainError(
        'TALENT.FOREIGN_CLAIM',
        'forbidden',
        `${origin} sent a claim in the name of ${claim.claimant} without having passed it on`,
      );
    }
    await this.arbitrate(manager, claim);
  }

  /**
   * Decides a claim in the caller's transaction (the inbox's for a claim from another city). A claim decided before
   * (redelivered, replayed) is not decided again. Only the holder of the person's authority decides; another city
   * passes the claim on to the holder it knows of (bounded hops), else denies it.
   */
  async arbitrate(manager: EntityManager, claim: ClaimRequestedV1): Promise<void> {
    if (await this.benefits.findDecision(manager, claim.claimId)) return;
    await this.authority.lock(manager, claim.person);
    const { holder } = await this.authority.holderOf(manager, claim.person);
    if (holder !== this.config.region) {
      if (await this.passOn(manager, claim, holder)) return;
      return this.record(manager, claim, { decision: 'denied', reason: 'not-certified' });
    }
    const own = await this.certifications.ownByPersonForUpdate(manager, this.config.region, claim.person);
    if (own.length === 0) return this.record(manager, claim, { decision: 'denied', reason: 'not-certified' });
    const benefit = this.programme.benefits.get(claim.benefitCode);
    const verdict = decideClaim({
      benefit: benefit?.kind === 'exclusive' ? benefit : undefined,
      certifications: own,
      on: claim.claimedOn,
      alreadyGrantedIn: await this.benefits.grantedIn(manager, claim.person, claim.benefitCode),
    });
    await this.record(manager, claim, verdict);
  }

  /** Passes a claim on to the holder of the person's authority, unless it has travelled too far already. */
  private async passOn(manager: EntityManager, claim: ClaimRequestedV1, holder: string): Promise<boolean> {
    const hops = claim.hops ?? 0;
    if (hops >= MAX_HOPS) return false;
    await this.publisher.publish(
      manager,
      TALENT_CLAIM_REQUESTED_V1,
      claim.person,
      { ...claim, redirectedBy: this.config.region, hops: hops + 1 },
      { target: holder },
    );
    return true;
  }

  /** Records the decision, and the grant if any, and answers the claimant (or decides this city's own claim). */
  private async record(manager: EntityManager, claim: ClaimRequestedV1, verdict: Verdict): Promise<void> {
    const decidedAt = this.clock.now().toISOString();
    const outcome = outcomeOf(verdict, claim.claimant);
    await this.benefits.insertDecision(manager, {
      claimId: claim.claimId,
      person: claim.person,
      benefitCode: claim.benefitCode,
      claimant: claim.claimant,
      ...outcome,
      decidedAt,
    });
    this.metrics.arbitrations.inc({ decision: outcome.decision, reason: outcome.reason ?? '' });
    if (outcome.decision === 'granted') {
      await this.grants.record(manager, {
        grantId: randomUUID(),
        claimId: claim.claimId,
        person: claim.person,
        benefitCode: claim.benefitCode,
        exclusive: true,
        grantedIn: claim.claimant,
        grantedAt: decidedAt,
      });
    }
    if (claim.claimant === this.config.region) {
      // This city's own claim, made here or sent to another city and passed back: no event to answer it.
      await this.benefits.decideClaim(manager, claim.claimId, { ...outcome, decidedAt: new Date(decidedAt) });
      return;
    }
    const answer: ClaimDecidedV1 = {
      claimId: claim.claimId,
      person: claim.person,
      benefitCode: claim.benefitCode,
      decision: outcome.decision,
      ...(outcome.reason !== null && { reason: outcome.reason }),
      ...(outcome.decision === 'denied' && outcome.grantedIn !== null && { grantedIn: outcome.grantedIn }),
      decidedAt,
    };
    await this.publisher.publish(manager, TALENT_CLAIM_DECIDED_V1, claim.person, answer, { target: claim.claimant });
  }
}
