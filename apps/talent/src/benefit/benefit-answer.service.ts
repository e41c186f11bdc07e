import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { ClaimDecidedV1 } from '@app/contracts';
import { Clock } from '@app/platform';
import { TalentMetrics } from '../talent.metrics';
import { Verdict, outcomeOf } from './arbitration';
import { BenefitRepository } from './benefit.repository';

/** The certifiers' answers to the claims this city sent them (directed here: no other city receives them). */
@Injectable()
export class BenefitAnswerService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly benefits: BenefitRepository,
    private readonly metrics: TalentMetrics,
  ) {}

  async record(manager: EntityManager, answer: ClaimDecidedV1): Promise<void> {
    const verdict: Verdict =
      answer.decision === 'granted'
        ? { decision: 'granted' }
        : { decision: 'denied', reason: answer.reason ?? 'not-certified', grantedIn: answer.grantedIn };
    const claim = await this.benefits.decideClaim(manager, answer.claimId, {
      ...outcomeOf(verdict, this.config.region),
      decidedAt: this.clock.now(),
    });
    if (claim) this.metrics.answerLatency.observe((claim.decidedAt!.getTime() - claim.requestedAt.getTime()) / 1000);
  }
}
