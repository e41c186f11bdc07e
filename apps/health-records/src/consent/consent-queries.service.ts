import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { ConsentRecord, ConsentService, consentCovers, namedRegions } from '@app/consent';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { PurgeRow, SharingRepository } from '../sharing/sharing.repository';

export interface PurgeView {
  purgeId: string;
  region: string;
  requestedAt: string;
  purgedAt: string | null;
  documents: number | null;
}

export interface ConsentView {
  consentId: string;
  patient: string;
  purpose: string | null;
  grantees: string[];
  allPeers: boolean;
  validFrom: string | null;
  validUntil: string | null;
  grantedAt: string | null;
  revokedAt: string | null;
  /** The regions the consent lets hold the patient's data now. */
  activeFor: string[];
  purges: PurgeView[];
}

/** This city's patients' consents as its HIS reads them, with the purges each asked of the peers. */
@Injectable()
export class ConsentQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly consents: ConsentService,
    private readonly sharing: SharingRepository,
  ) {}

  async get(consentId: string): Promise<ConsentView> {
    return this.view(this.dataSource.manager, consentId);
  }

  async list(residentId: string): Promise<ConsentView[]> {
    const records = await this.consents.forPatients(this.dataSource, this.config.region, [
      this.pseudonyms.of(residentId),
    ]);
    return Promise.all(records.map((record) => this.view(this.dataSource.manager, record.consentId)));
  }

  /** A consent as written in `manager`'s transaction. */
  async view(manager: EntityManager, consentId: string): Promise<ConsentView> {
    const consent = await this.consents.find(manager, this.config.region, consentId);
    if (!consent || consent.grantedAt === null) throw consentNotFound(consentId);
    const purges = await this.sharing.purgesOfConsent(manager, consentId);
    return toView(consent, this.config.peers, this.clock.now(), purges);
  }
}

function toView(consent: ConsentRecord, peers: string[], now: Date, purges: PurgeRow[]): ConsentView {
  return {
    consentId: consent.consentId,
    patient: consent.patient,
    purpose: consent.purpose,
    grantees: namedRegions(consent, peers),
    allPeers: consent.allPeers,
    validFrom: consent.validFrom?.toISOString() ?? null,
    validUntil: consent.validUntil?.toISOString() ?? null,
    grantedAt: consent.grantedAt?.toISOString() ?? null,
    revokedAt: consent.revokedAt?.toISOString() ?? null,
    activeFor: peers.filter((region) => consentCovers(consent, { region, purpose: consent.purpose ?? '', at: now })),
    purges: purges.map((purge) => ({
      purgeId: purge.purge_id,
      region: purge.region,
      requestedAt: purge.requested_at.toISOString(),
      purgedAt: purge.purged_at?.toISOString() ?? null,
      documents: purge.documents,
    })),
  };
}

export function consentNotFound(consentId: string): DomainError {
  return new DomainError('HEALTH.CONSENT_NOT_FOUND', 'not-found', `no consent ${consentId} recorded here`);
}
