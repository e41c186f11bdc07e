import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  ConsentGrantedV1,
  ConsentRevokedV1,
  HEALTH_CONSENT_GRANTED_V1,
  HEALTH_CONSENT_REVOKED_V1,
} from '@app/contracts';
import { ConsentService } from '@app/consent';
import { ConsentRepository } from './consent.repository';

/** The peers' patients' consents to this city holding their records; the peer (the home city) is the authority. */
@Injectable()
export class ConsentProjectionService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly consents: ConsentService,
    private readonly repository: ConsentRepository,
    private readonly replay: ReplayService,
  ) {}

  /** The peers' consents; this city's own are the authority and stay. */
  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.repository.deleteConsentsNotOf(manager, this.config.region));
  }

  async applyGrant(manager: EntityManager, home: string, grant: ConsentGrantedV1): Promise<void> {
    await this.consents.apply(manager, home, { type: HEALTH_CONSENT_GRANTED_V1, data: grant });
  }

  async applyRevocation(manager: EntityManager, home: string, revocation: ConsentRevokedV1): Promise<void> {
    await this.consents.apply(manager, home, { type: HEALTH_CONSENT_REVOKED_V1, data: revocation });
  }
}
