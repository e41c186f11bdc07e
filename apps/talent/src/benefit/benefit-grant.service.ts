import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import { BenefitGrantedV1, TALENT_BENEFIT_GRANTED_V1 } from '@app/contracts';
import { BenefitRepository } from './benefit.repository';

/** Benefits this city grants: stored, and published so that every city's status query shows them. */
@Injectable()
export class BenefitGrantService {
  constructor(
    private readonly config: AppConfig,
    private readonly publisher: BusPublisher,
    private readonly benefits: BenefitRepository,
  ) {}

  async record(manager: EntityManager, grant: BenefitGrantedV1): Promise<void> {
    await this.benefits.insertGrant(manager, this.config.region, grant);
    await this.publisher.publish(manager, TALENT_BENEFIT_GRANTED_V1, grant.person, grant);
  }
}
