import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, Pseudonymizer, ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { ConsentGrantedV1, HEALTH_CONSENT_GRANTED_V1, HEALTH_CONSENT_REVOKED_V1, EventPayload } from '@app/contracts';
import { ConsentRecord, ConsentService, consentCovers, namedRegions } from '@app/consent';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { assertOwnRegion } from '../health.caller';
import { ReplicationService } from '../sharing/replication.service';
import { ConsentGrantDto } from './dto/consent-grant.dto';

const WINDOW_SWEEP_MS = 1000;

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

/**
 * Consents of this city's patients, recorded by its HIS. This city is their authority: it applies them to its own
 * consent table (the same rules the peers apply to their copies), sends a copy to each region the consent names and
 * one to itself, sends the patient's documents to the peers a grant newly covers, and asks the peers a revocation
 * uncovers to purge.
 */
@Injectable()
export class ConsentRecordsService implements OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit {
  private readonly logger = new Logger(ConsentRecordsService.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly publisher: BusPublisher,
    private readonly consents: ConsentService,
    private readonly replication: ReplicationService,
    private readonly replay: ReplayService,
  ) {}

  /** The peers' consents; this city's own are the authority and stay. */
  onModuleInit(): void {
    this.replay.registerProjection(async (manager) => {
      await manager.query('delete from consent where home <> $1', [this.config.region]);
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.applyWindows()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn(`consent window pass failed: ${String(error)}`))
        .finally(() => (this.sweeping = undefined));
    }, WINDOW_SWEEP_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  async grant(principal: Principal, dto: ConsentGrantDto): Promise<ConsentView> {
    assertOwnRegion(principal, this.config);
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
      await manager.query(
        `insert into consent_window (consent_id, patient, starts_at, ends_at, started) values ($1, $2, $3, $4, $5)`,
        [
          grant.consentId,
          patient,
          grant.validFrom,
          grant.validUntil ?? null,
          Date.parse(grant.validFrom) <= now.getTime(),
        ],
      );
      return this.view(manager, grant.consentId);
    });
  }

  async revoke(principal: Principal, consentId: string): Promise<ConsentView> {
    assertOwnRegion(principal, this.config);
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
      await manager.query('update consent_window set started = true, ended = true where consent_id = $1', [consentId]);
      return this.view(manager, consentId);
    });
  }

  /**
   * Consents whose validity window opened or closed since the last pass: an opening sends the patient's documents to
   * the peers now covered; a closing asks the peers no longer covered to purge, as a revocation does.
   */
  async applyWindows(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const due = await manager.query<{ consent_id: string; patient: string; opening: boolean; closing: boolean }[]>(
        `select consent_id, patient, not started and starts_at <= $1 as opening,
                not ended and ends_at is not null and ends_at <= $1 as closing
           from consent_window
          where (not started and starts_at <= $1) or (not ended and ends_at <= $1)
          order by consent_id limit 100 for update skip locked`,
        [now],
      );
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
        await manager.query(
          `update consent_window set started = started or $2, ended = ended or $3 where consent_id = $1`,
          [window.consent_id, window.opening, window.closing],
        );
      }
      return due.length;
    });
  }

  async get(principal: Principal, consentId: string): Promise<ConsentView> {
    assertOwnRegion(principal, this.config);
    return this.view(this.dataSource.manager, consentId);
  }

  async list(principal: Principal, residentId: string): Promise<ConsentView[]> {
    assertOwnRegion(principal, this.config);
    const records = await this.consents.forPatients(this.dataSource, this.config.region, [
      this.pseudonyms.of(residentId),
    ]);
    return Promise.all(records.map((record) => this.view(this.dataSource.manager, record.consentId)));
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

  private async view(manager: EntityManager, consentId: string): Promise<ConsentView> {
    const consent = await this.consents.find(manager, this.config.region, consentId);
    if (!consent || consent.grantedAt === null) throw consentNotFound(consentId);
    const purges = await manager.query<
      { purge_id: string; region: string; requested_at: Date; purged_at: Date | null; documents: number | null }[]
    >('select * from health_purge where consent_id = $1 order by region', [consentId]);
    return toView(consent, this.config.peers, this.clock.now(), purges);
  }
}

function toNamed(grant: ConsentGrantedV1): Pick<ConsentRecord, 'grantees' | 'allPeers'> {
  return { grantees: grant.grantees ?? null, allPeers: grant.allPeers === true };
}

function toView(
  consent: ConsentRecord,
  peers: string[],
  now: Date,
  purges: { purge_id: string; region: string; requested_at: Date; purged_at: Date | null; documents: number | null }[],
): ConsentView {
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

function consentNotFound(consentId: string): DomainError {
  return new DomainError('HEALTH.CONSENT_NOT_FOUND', 'not-found', `no consent ${consentId} recorded here`);
}
