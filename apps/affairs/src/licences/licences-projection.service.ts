import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { LicenceStateV1 } from '@app/contracts';
import { DomainError } from '@app/http';
import { licenceSignatureValid } from './licence-signature';
import { LicenceRepository } from './licence.repository';

/** Every other city's licences, replicated here (highest version wins); a forged licence is dead-lettered. */
@Injectable()
export class LicencesProjectionService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly replay: ReplayService,
    private readonly licences: LicenceRepository,
  ) {}

  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.licences.resetProjected(manager, this.config.region));
  }

  async apply(manager: EntityManager, origin: string, state: LicenceStateV1): Promise<void> {
    if (!licenceSignatureValid(state, origin, this.config.registry)) {
      throw new DomainError(
        'AFFAIRS.LICENCE_SIGNATURE_INVALID',
        'invalid',
        `Licence ${state.licenceId} is not signed by ${origin}'s key ${state.kid}`,
      );
    }
    await this.licences.upsertReplica(manager, origin, state);
  }
}
