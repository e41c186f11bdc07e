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
import { Verdict, certifierOf, decideClaim, outcomeOf } from './arbitration';
import { BenefitGrantService } from './benefit-grant.service';
import { BenefitRepository } from './benefit.repository';

/**
 * This city as a certifier: it decides every claim for an exclusive benefit of the people it certified, whichever
 * city claims, one at a time per person, and records each decision in its ledger.
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
   * (redelivered, replayed) is not decided again. A city that did not certify the person passes the claim on once
   * to the certifier it knows of, else denies it.
   */
  async arbitrate(manager: EntityManager, claim: ClaimRequestedV1): Promise<void> {
    if (await this.benefits.findDecision(manager, claim.claimId)) return;
    const own = await this.certifications.ownByPersonForUpdate(manager, this.config.region, claim.person);
    if (own.length === 0) {
      if (await this.passOn(manager, claim)) return;
      return this.record(manager, claim, { decision: 'denied', reason: 'not-certified' });
    }
    const benefit = this.programme.benefits.get(claim.benefitCode);
    const verdict = decideClaim({
      benefit: benefit?.kind === 'exclusive' ? benefit : undefined,
      certifications: own,
      on: claim.claimedOn,
      alreadyGrantedIn: await this.benefits.grantedIn(manager, claim.person, claim.benefitCode),
    });
    await this.record(manager, claim, verdict);
  }

  /** Passes a claim on to the city that certified the person, unless it was passed on before or is this city's. */
  private async passOn(manager: EntityManager, claim: ClaimRequestedV1): Promise<boolean> {
    const elsewhere = (await this.certifications.byPerson(manager, claim.person)).filter(
      (row) => row.origin !== this.config.region,
    );
    if (elsewhere.length === 0 || claim.redirectedBy !== undefined || claim.claimant === this.config.region) {
      return false;
    }
    await this.publisher.publish(
      manager,
      TALENT_CLAIM_REQUESTED_V1,
      claim.person,
      { ...claim, redirectedBy: this.config.region },
      { target: certifierOf(elsewhere) },
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
