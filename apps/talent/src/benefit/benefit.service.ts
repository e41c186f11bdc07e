import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, Pseudonymizer, ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  BenefitGrantedV1,
  ClaimDecidedV1,
  ClaimRequestedV1,
  TALENT_BENEFIT_GRANTED_V1,
  TALENT_CLAIM_DECIDED_V1,
  TALENT_CLAIM_REQUESTED_V1,
} from '@app/contracts';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { CertificationRepository, CertificationRow } from '../certification/certification.repository';
import { chinaDate } from '../common/calendar';
import { BenefitDto, TalentConfig } from '../config/talent-config';
import { Verdict, decideClaim } from './arbitration';
import { BenefitRepository, ClaimRow } from './benefit.repository';
import { ClaimDto } from './dto/claim.dto';

export type ClaimView = Omit<ClaimRow, 'status' | 'requestedAt' | 'deadline' | 'decidedAt'> & {
  status: ClaimRow['status'] | 'timed-out';
  requestedAt: string;
  deadline: string;
  decidedAt: string | null;
};

/**
 * Benefit claims. A shared benefit is granted by the city asked; an exclusive one only by the city that certified
 * the person, which decides every claim for it, its own city's included, one at a time per person.
 */
@Injectable()
export class BenefitService implements OnModuleInit {
  private readonly claims: Counter<'kind' | 'outcome'>;
  private readonly arbitrations: Counter<'decision' | 'reason'>;
  private readonly answerLatency: Histogram;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly talent: TalentConfig,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly publisher: BusPublisher,
    private readonly replay: ReplayService,
    private readonly certifications: CertificationRepository,
    private readonly benefits: BenefitRepository,
    registry: Registry,
  ) {
    this.claims = new Counter({
      name: 'talent_claims_total',
      help: 'Benefit claims made in this city, by kind of benefit and immediate outcome',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    });
    this.arbitrations = new Counter({
      name: 'talent_arbitrations_total',
      help: 'Claims for exclusive benefits decided by this city as certifier',
      labelNames: ['decision', 'reason'],
      registers: [registry],
    });
    this.answerLatency = new Histogram({
      name: 'talent_claim_answer_seconds',
      help: "Time from a claim sent to another city until the certifier's answer is applied here",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
  }

  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.benefits.resetProjectedGrants(manager, this.config.region));
  }

  catalogue() {
    return {
      region: this.config.region,
      tiers: [...this.talent.tiers.values()],
      benefits: this.talent.catalogue(),
      hukouServices: this.talent.hukouServices,
      claimTimeoutMs: this.talent.claimTimeoutMs,
    };
  }

  async claim(principal: Principal, dto: ClaimDto): Promise<ClaimView> {
    const benefit = this.talent.benefits.get(dto.benefitCode);
    if (!benefit || !this.talent.offers(benefit)) {
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
      const claim: Omit<ClaimRow, 'decidedAt'> = {
        claimId: randomUUID(),
        person,
        benefitCode: benefit.code,
        certifier: this.config.region,
        status: 'pending',
        reason: null,
        grantedIn: null,
        requestedBy: principal.org,
        requestedAt: now,
        deadline: new Date(now.getTime() + this.talent.claimTimeoutMs),
      };
      if (benefit.kind === 'shared') return this.grantShared(manager, claim, benefit, held);

      const certifier = certifierOf(held);
      const addressedTo = dto.certifier ?? certifier;
      if (addressedTo === this.config.region && certifier === this.config.region) {
        await this.benefits.insertClaim(manager, claim);
        await this.arbitrate(manager, requestOf(claim, this.config.region, now));
        return this.viewOf((await this.benefits.findClaim(manager, claim.claimId))!);
      }
      // Addressed to this city though another certified the person: passed on, never granted here.
      const target = addressedTo === this.config.region ? certifier : addressedTo;
      await this.benefits.insertClaim(manager, { ...claim, certifier: target });
      const request = requestOf(claim, this.config.region, now);
      if (addressedTo === this.config.region) request.redirectedBy = this.config.region;
      await this.publisher.publish(manager, TALENT_CLAIM_REQUESTED_V1, person, request, { target });
      return this.viewOf({ ...claim, certifier: target, decidedAt: null });
    });
    this.claims.inc({ kind: benefit.kind, outcome: view.status });
    return view;
  }

  async get(claimId: string): Promise<ClaimView> {
    const claim = await this.benefits.findClaim(this.dataSource.manager, claimId);
    if (!claim) throw new DomainError('TALENT.CLAIM_NOT_FOUND', 'not-found', `no claim ${claimId} made in this city`);
    return this.viewOf(claim);
  }

  /**
   * Decides a claim for an exclusive benefit as the person's certifier, in the caller's transaction (the inbox's
   * for a claim from another city). A claim decided before (redelivered, replayed) is not decided again. A city
   * that did not certify the person passes the claim on once to the certifier it knows of, else denies it.
   */
  async arbitrate(manager: EntityManager, claim: ClaimRequestedV1): Promise<void> {
    if (await this.benefits.findDecision(manager, claim.claimId)) return;
    const own = await this.certifications.ownByPersonForUpdate(manager, this.config.region, claim.person);
    let verdict: Verdict;
    if (own.length === 0) {
      const elsewhere = (await this.certifications.byPerson(manager, claim.person)).filter(
        (row) => row.origin !== this.config.region,
      );
      if (elsewhere.length > 0 && claim.redirectedBy === undefined && claim.claimant !== this.config.region) {
        const target = certifierOf(elsewhere);
        await this.publisher.publish(
          manager,
          TALENT_CLAIM_REQUESTED_V1,
          claim.person,
          { ...claim, redirectedBy: this.config.region },
          { target },
        );
        return;
      }
      verdict = { decision: 'denied', reason: 'not-certified' };
    } else {
      const benefit = this.talent.benefits.get(claim.benefitCode);
      verdict = decideClaim({
        benefit: benefit?.kind === 'exclusive' ? benefit : undefined,
        certifications: own,
        on: claim.claimedOn,
        alreadyGrantedIn: await this.benefits.grantedIn(manager, claim.person, claim.benefitCode),
      });
    }
    const decidedAt = this.clock.now().toISOString();
    const grantedIn = verdict.decision === 'granted' ? claim.claimant : (verdict.grantedIn ?? null);
    await this.benefits.insertDecision(manager, {
      claimId: claim.claimId,
      person: claim.person,
      benefitCode: claim.benefitCode,
      claimant: claim.claimant,
      decision: verdict.decision,
      reason: verdict.decision === 'denied' ? verdict.reason : null,
      grantedIn,
      decidedAt,
    });
    this.arbitrations.inc({ decision: verdict.decision, reason: verdict.decision === 'denied' ? verdict.reason : '' });
    if (verdict.decision === 'granted') {
      await this.recordGrant(manager, {
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
      await this.applyVerdict(manager, claim.claimId, verdict, new Date(decidedAt));
    } else {
      const answer: ClaimDecidedV1 = {
        claimId: claim.claimId,
        person: claim.person,
        benefitCode: claim.benefitCode,
        decision: verdict.decision,
        ...(verdict.decision === 'denied' && { reason: verdict.reason }),
        ...(grantedIn !== null && verdict.decision === 'denied' && { grantedIn }),
        decidedAt,
      };
      await this.publisher.publish(manager, TALENT_CLAIM_DECIDED_V1, claim.person, answer, {
        target: claim.claimant,
      });
    }
  }

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

  /** The certifier's answer to a claim this city made (directed here: no other city receives it). */
  async applyAnswer(manager: EntityManager, answer: ClaimDecidedV1): Promise<void> {
    const verdict: Verdict =
      answer.decision === 'granted'
        ? { decision: 'granted' }
        : { decision: 'denied', reason: answer.reason ?? 'not-certified', grantedIn: answer.grantedIn };
    const claim = await this.applyVerdict(manager, answer.claimId, verdict, this.clock.now());
    if (claim) this.answerLatency.observe((claim.decidedAt!.getTime() - claim.requestedAt.getTime()) / 1000);
  }

  async projectGrant(manager: EntityManager, origin: string, grant: BenefitGrantedV1): Promise<void> {
    await this.benefits.insertGrant(manager, origin, grant);
  }

  async statistics() {
    return { grantedByCity: await this.benefits.grantsByCity(this.dataSource.manager) };
  }

  private async grantShared(
    manager: EntityManager,
    claim: Omit<ClaimRow, 'decidedAt'>,
    benefit: BenefitDto,
    held: CertificationRow[],
  ): Promise<ClaimView> {
    const verdict = decideClaim({ benefit, certifications: held, on: chinaDate(claim.requestedAt) });
    await this.benefits.insertClaim(manager, claim);
    if (verdict.decision === 'granted') {
      await this.recordGrant(manager, {
        grantId: randomUUID(),
        claimId: claim.claimId,
        person: claim.person,
        benefitCode: benefit.code,
        exclusive: false,
        grantedIn: this.config.region,
        grantedAt: claim.requestedAt.toISOString(),
      });
    }
    await this.applyVerdict(manager, claim.claimId, verdict, claim.requestedAt);
    return this.viewOf((await this.benefits.findClaim(manager, claim.claimId))!);
  }

  private async recordGrant(manager: EntityManager, grant: BenefitGrantedV1): Promise<void> {
    await this.benefits.insertGrant(manager, this.config.region, grant);
    await this.publisher.publish(manager, TALENT_BENEFIT_GRANTED_V1, grant.person, grant);
  }

  /** Decides a pending claim of this city; undefined when it was decided before (a redelivered answer). */
  private applyVerdict(manager: EntityManager, claimId: string, verdict: Verdict, at: Date) {
    return this.benefits.decideClaim(manager, claimId, {
      status: verdict.decision,
      reason: verdict.decision === 'denied' ? verdict.reason : null,
      grantedIn: verdict.decision === 'granted' ? this.config.region : (verdict.grantedIn ?? null),
      decidedAt: at,
    });
  }

  /** Pending past its deadline reads as timed out; a late answer still counts (the certifier recorded it). */
  private viewOf(claim: ClaimRow): ClaimView {
    const timedOut = claim.status === 'pending' && this.clock.now() > claim.deadline;
    return {
      ...claim,
      status: timedOut ? 'timed-out' : claim.status,
      requestedAt: claim.requestedAt.toISOString(),
      deadline: claim.deadline.toISOString(),
      decidedAt: claim.decidedAt?.toISOString() ?? null,
    };
  }
}

/** The city that arbitrates the person's exclusive benefits: the issuer of their latest certification not revoked. */
function certifierOf(held: CertificationRow[]): string {
  const live = held.filter((row) => row.status !== 'revoked');
  return (live.length > 0 ? live : held).at(-1)!.origin;
}

function requestOf(claim: Omit<ClaimRow, 'decidedAt'>, claimant: string, now: Date): ClaimRequestedV1 {
  return {
    claimId: claim.claimId,
    person: claim.person,
    benefitCode: claim.benefitCode,
    claimant,
    claimedOn: chinaDate(now),
  };
}
