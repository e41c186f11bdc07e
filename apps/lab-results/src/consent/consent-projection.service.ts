import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { ConsentService } from '@app/consent';
import {
  ConsentGrantedV1,
  ConsentRevokedV1,
  HEALTH_CONSENT_GRANTED_V1,
  HEALTH_CONSENT_REVOKED_V1,
} from '@app/contracts';
import { ConsentRepository } from './consent.repository';
import { LabConsentService } from './lab-consent.service';

/**
 * The consents health-records publishes, of this city's own patients (the copies it sends its own region) and of
 * other cities' patients granted to this one.
 */
@Injectable()
export class ConsentProjectionService implements OnModuleInit {
  constructor(
    private readonly consents: ConsentService,
    private readonly labConsent: LabConsentService,
    private readonly replay: ReplayService,
    private readonly repository: ConsentRepository,
  ) {}

  /** Consents come from health-records' events of every city, this one's included: a rebuild empties them all. */
  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.repository.deleteAll(manager));
  }

  /** Applies a grant; whether it changed the consent (false when it was known already). */
  async applyGrant(manager: EntityManager, origin: string, grant: ConsentGrantedV1): Promise<boolean> {
    const change = await this.consents.apply(manager, origin, { type: HEALTH_CONSENT_GRANTED_V1, data: grant });
    return change.changed;
  }

  /**
   * Applies a revocation under the patient's lock, held until the transaction ends (so that no report of the
   * patient from `origin` commits behind the purge that follows); whether it changed the consent.
   */
  async applyRevocation(manager: EntityManager, origin: string, revocation: ConsentRevokedV1): Promise<boolean> {
    await this.labConsent.lockPatient(manager, origin, revocation.patient);
    const change = await this.consents.apply(manager, origin, { type: HEALTH_CONSENT_REVOKED_V1, data: revocation });
    return change.changed;
  }
}
