import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { ConsentGrantedV1, HEALTH_CONSENT_GRANTED_V1, HEALTH_CONSENT_REVOKED_V1, EventPayload } from '@app/contracts';
import { ConsentRecord, ConsentService, namedRegions } from '@app/consent';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { PeriodicTask } from '@app/runtime';
import { ReplicationService } from '../sharing/replication.service';
import { ConsentQueriesService, ConsentView, consentNotFound } from './consent-queries.service';
import { ConsentRepository } from './consent.repository';
import { ConsentGrantDto } from './dto/consent-grant.dto';

const WINDOW_SWEEP_MS = 1000;

/**
 * Consents of this city's patients, recorded by its HIS. This city is their authority: it applies them to its own
 * consent table (the same rules the peers apply to their copies), sends a copy to each region the consent names and
 * one to itself, sends the patient's documents to the peers a grant newly covers, and asks the peers a revocation
 * uncovers to purge.
 */
@Injectable()
export class ConsentRecordsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ConsentRecordsService.name);
  private readonly windows = new PeriodicTask({
    name: 'consent window pass',
    intervalMs: WINDOW_SWEEP_MS,
    run: () => this.applyWindows(),
    logger: this.logger,
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly publisher: BusPublisher,
    private readonly consents: ConsentService,
    private readonly replication: ReplicationService,
    private readonly repository: ConsentRepository,
    private readonly queries: ConsentQueriesService,
  ) {}

  onApplicationBootstrap(): void {
    this.windows.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.windows.stop();
  }

  async grant(dto: ConsentGrantDto): Promise<ConsentView> {
    const unknown = (dto.grantees ?? []).filter((region) => !this.config.peers.includes(region));
    if (unknown.length > 0) {
      throw new DomainError('HEALTH.UNKNOWN_GRANTEE', 'invalid', `not a peer region: ${unknown.join(', ')}`);
    }
    const now = this.clock.now();
    if (dto.validUntil !== undefined && Date.parse(dto.validUntil) <= Date.parse(dto.validFrom ?? now.toISOString())) {
      throw new DomainError('HEALTH.INVALID_VALIDITY', 'invalid', 'validUntil must be after validFrom');
    }
    const patient = this.pseudonyms.of(dto.residentId);
    const grant: ConsentGrantedV1 = {
      consentId: randomUUID(),
      patient,
      purpose: dto.purpose,
      ...(dto.allPeers ? { allPeers: true } : { grantees: dto.grantees }),
      validFrom: dto.validFrom ?? now.toISOString(),
      ...(dto.validUntil !== undefined && { validUntil: dto.validUntil }),
      grantedAt: now.toISOString(),
    };
    return this.dataSource.transaction(async (manager) => {
      await this.replication.lockPatient(manager, patient);
      const before = await this.replication.consentedPeers(manager, patient);
      await this.consents.apply(manager, this.config.region, { type: HEALTH_CONSENT_GRANTED_V1, data: grant });
      await this.sendCopies(manager, HEALTH_CONSENT_GRANTED_V1, grant, namedRegions(toNamed(grant), this.config.peers));
      const after = await this.replication.consentedPeers(manager, patient);
      await this.replication.sendAll(
        manager,
        patient,
        after.filter((region) => !before.includes(region)),
      );
      await this.repository.insertWindow(manager, {
        consent_id: grant.consentId,
        patient,
        starts_at: grant.validFrom,
        ends_at: grant.validUntil ?? null,
        started: Date.parse(grant.validFrom) <= now.getTime(),
      });
      return this.queries.view(manager, grant.consentId);
    });
  }

  async revoke(consentId: string): Promise<ConsentView> {
    return this.dataSource.transaction(async (manager) => {
      const consent = await this.consents.find(manager, this.config.region, consentId);
      if (!consent || consent.grantedAt === null) throw consentNotFound(consentId);
      await this.replication.lockPatient(manager, consent.patient);
      if (consent.revokedAt !== null) {
        throw new DomainError('HEALTH.CONSENT_REVOKED', 'conflict', `consent ${consentId} is already revoked`);
      }
      const revocation = { consentId, patient: consent.patient, revokedAt: this.clock.now().toISOString() };
      await this.consents.apply(manager, this.config.region, { type: HEALTH_CONSENT_REVOKED_V1, data: revocation });
      const named = namedRegions(consent, this.config.peers);
      await this.sendCopies(manager, HEALTH_CONSENT_REVOKED_V1, revocation, named);
      // Every region the consent named and that no other consent still covers purges, even if this consent had
      // already expired: it may hold documents from while it was valid.
      const stillCovered = await this.replication.consentedPeers(manager, consent.patient);
      const uncovered = named.filter((region) => !stillCovered.includes(region));
      await this.replication.requestPurge(manager, consentId, consent.patient, uncovered);
      await this.repository.markWindow(manager, consentId, { started: true, ended: true });
      return this.queries.view(manager, consentId);
    });
  }

  /**
   * Consents whose validity window opened or closed since the last pass: an opening sends the patient's documents to
   * the peers now covered; a closing asks the peers no longer covered to purge, as a revocation does.
   */
  async applyWindows(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const due = await this.repository.lockDueWindows(manager, now, 100);
      for (const window of due) {
        await this.replication.lockPatient(manager, window.patient);
        const covered = await this.replication.consentedPeers(manager, window.patient);
        if (window.opening) await this.replication.sendAll(manager, window.patient, covered);
        if (window.closing) {
          const consent = await this.consents.find(manager, this.config.region, window.consent_id);
          const named = consent ? namedRegions(consent, this.config.peers) : [];
          const uncovered = named.filter((region) => !covered.includes(region));
          await this.replication.requestPurge(manager, window.consent_id, window.patient, uncovered);
        }
        await this.repository.markWindow(manager, window.consent_id, {
          started: window.opening,
          ended: window.closing,
        });
      }
      return due.length;
    });
  }

  /** The copy to each named region and one to this city itself (for its other services, e.g. lab-results). */
  private async sendCopies<T extends typeof HEALTH_CONSENT_GRANTED_V1 | typeof HEALTH_CONSENT_REVOKED_V1>(
    manager: EntityManager,
    type: T,
    data: EventPayload<T>,
    regions: string[],
  ): Promise<void> {
    for (const target of [...regions, this.config.region]) {
      await this.publisher.publish(manager, type, data.patient, data, { target });
    }
  }
}

function toNamed(grant: ConsentGrantedV1): Pick<ConsentRecord, 'grantees' | 'allPeers'> {
  return { grantees: grant.grantees ?? null, allPeers: grant.allPeers === true };
}
