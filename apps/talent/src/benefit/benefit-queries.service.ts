import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { TalentProgramme } from '../config/talent-config';
import { BenefitRepository } from './benefit.repository';
import { ClaimView, claimView } from './claim-view';

/** What the benefit API reads: the programme's catalogue and the claims made in this city. */
@Injectable()
export class BenefitQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly programme: TalentProgramme,
    private readonly clock: Clock,
    private readonly benefits: BenefitRepository,
  ) {}

  catalogue() {
    return {
      region: this.config.region,
      tiers: [...this.programme.tiers.values()],
      benefits: this.programme.catalogue(),
      hukouServices: this.programme.hukouServices,
      claimTimeoutMs: this.programme.claimTimeoutMs,
    };
  }

  async claim(claimId: string): Promise<ClaimView> {
    const claim = await this.benefits.findClaim(this.dataSource.manager, claimId);
    if (!claim) throw new DomainError('TALENT.CLAIM_NOT_FOUND', 'not-found', `no claim ${claimId} made in this city`);
    return claimView(claim, this.clock.now());
  }
}
