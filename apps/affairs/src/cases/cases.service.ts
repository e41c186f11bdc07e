import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  AFFAIRS_CASE_STATUS_CHANGED_V1,
  ApplicantKind,
  CaseStatus,
  CaseStatusChangedV1,
  DeliveryMode,
  SealedApplicant,
} from '@app/contracts';
import { DomainError, Principal, actorOf } from '@app/http';
import { Clock } from '@app/platform';
import { AffairsMetrics } from '../affairs.metrics';
import { ApplicationRepository } from '../applications/application.repository';
import { ReceivedMaterial } from '../applications/materials';
import { MatterCatalogue } from '../catalogue/matter-catalogue';
import { advanceClock } from '../clock/case-clock';
import { WorkingCalendar } from '../clock/working-calendar';
import { LicencesService } from '../licences/licences.service';
import { OfficerStatus, assertTransition, decisionErrors } from './case-lifecycle';
import { CaseRepository, CaseRow } from './case.repository';
import { CaseDecisionDto } from './dto/case-decision.dto';

export interface OpenCase {
  applicationId: string;
  filingRegion: string;
  matterCode: string;
  catalogueVersion: string;
  applicantKind: ApplicantKind;
  person: string;
  creditCode: string | null;
  applicant: SealedApplicant;
  delivery: DeliveryMode;
  materials: readonly ReceivedMaterial[];
}

/**
 * The cases this city handles: opened from an application (filed here or transferred by the filing city), decided
 * by this city's case officers, every transition sent back to the filing city at once; the working-day clock
 * follows each transition.
 */
@Injectable()
export class CasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly catalogue: MatterCatalogue,
    private readonly calendar: WorkingCalendar,
    private readonly publisher: BusPublisher,
    private readonly cases: CaseRepository,
    private readonly applications: ApplicationRepository,
    private readonly licences: LicencesService,
    private readonly clock: Clock,
    private readonly metrics: AffairsMetrics,
  ) {}

  /** Opens the case (received); a matter this city's catalogue does not list is not accepted, with the reason. */
  async open(manager: EntityManager, application: OpenCase): Promise<void> {
    const now = this.clock.now();
    const matter = this.catalogue.find(application.matterCode);
    const { contentKey, ...identity } = application.applicant;
    const row: CaseRow = {
      application_id: application.applicationId,
      filing_region: application.filingRegion,
      matter_code: application.matterCode,
      catalogue_version: application.catalogueVersion,
      applicant_kind: application.applicantKind,
      person: application.person,
      credit_code: application.creditCode,
      identity,
      content_key: contentKey,
      delivery: application.delivery,
      status: 'received',
      version: 1,
      reason: null,
      legal_basis: null,
      supplement: null,
      round: 0,
      limit_days: matter?.timeLimits.promisedDays ?? 1,
      accepted_on: null,
      paused_since: null,
      paused_days: 0,
      deadline: null,
      warned: false,
      escalated: false,
      received_at: now,
      updated_at: now,
    };
    if (!(await this.cases.insert(manager, row))) return;
    await this.cases.insertHistory(manager, row, now, null, {});
    await this.applications.insertMaterials(manager, 'handled', application.applicationId, 0, application.materials);
    await this.emit(manager, row, now);
    this.metrics.transitions.inc({ status: 'received' });
    if (!matter) {
      await this.transition(manager, row, 'not-accepted', now, null, {
        reason: `${application.matterCode} is not a matter of ${this.config.region}'s catalogue ${this.catalogue.version}`,
      });
    }
  }

  /** A case officer's decision: 409 when the case cannot take it, 400 naming what the decision lacks. */
  async decide(applicationId: string, decision: CaseDecisionDto, principal: Principal): Promise<CaseRow> {
    const errors = decisionErrors(decision);
    if (errors.length > 0) {
      throw new DomainError(
        'AFFAIRS.INVALID_DECISION',
        'invalid',
        `Invalid decision: ${errors.map((e) => e.field).join(', ')}`,
        {
          errors,
        },
      );
    }
    return this.dataSource.transaction(async (manager) => {
      const row = await this.cases.get(manager, applicationId, true);
      if (!row) throw caseNotFound(applicationId);
      return this.transition(manager, row, decision.status, this.clock.now(), actorOf(principal), decision);
    });
  }

  /** The filing window received the supplements asked for: the case resumes (and its clock with it). */
  async supplementProvided(
    manager: EntityManager,
    applicationId: string,
    round: number,
    materials: readonly ReceivedMaterial[],
    note: string | undefined,
    actor: string | null,
  ): Promise<void> {
    const row = await this.cases.get(manager, applicationId, true);
    if (!row) throw caseNotFound(applicationId);
    if (round <= row.round) return;
    await this.applications.insertMaterials(manager, 'handled', applicationId, round, materials);
    row.round = round;
    await this.transition(manager, row, 'supplement-provided', this.clock.now(), actor, {
      ...(note && { reason: note }),
    });
  }

  /** The applicant's rating, from the city that filed the case (or this city's own window). */
  async rate(
    manager: EntityManager,
    origin: string,
    rating: { applicationId: string; score: number; reasons: string[] },
  ): Promise<void> {
    const row = await this.cases.get(manager, rating.applicationId);
    if (!row || row.filing_region !== origin) {
      throw new DomainError(
        'AFFAIRS.FOREIGN_RATING',
        'forbidden',
        `${origin} rated case ${rating.applicationId}, which it did not file here`,
      );
    }
    await this.cases.setRating(manager, rating.applicationId, rating.score, rating.reasons);
  }

  private async transition(
    manager: EntityManager,
    row: CaseRow,
    status: CaseStatus,
    now: Date,
    actor: string | null,
    decision: { reason?: string; legalBasis?: string; supplement?: string[]; deliveredBy?: 'window' | 'post' },
  ): Promise<CaseRow> {
    assertTransition(row.status, status, row.accepted_on !== null);
    const { state, due } = advanceClock(this.calendar, row, status, now);
    const next: CaseRow = {
      ...row,
      ...state,
      status,
      version: row.version + 1,
      reason: decision.reason ?? null,
      legal_basis: decision.legalBasis ?? null,
      supplement: decision.supplement ?? (status === 'supplement-provided' ? row.supplement : null),
      updated_at: now,
    };
    await this.cases.update(manager, next, now, actor, decision);
    await this.cases.setDeadlines(manager, row.application_id, due);
    const matter = this.catalogue.find(row.matter_code);
    // The result of a licence matter is the electronic licence, issued with it.
    if (status === 'result-issued' && matter?.resultType === 'licence')
      await this.licences.issue(manager, next, matter, now);
    await this.emit(manager, next, now, decision.deliveredBy);
    this.metrics.transitions.inc({ status });
    return next;
  }

  /** Sends the state back to the filing city (or records it at once when this city filed it). */
  private async emit(manager: EntityManager, row: CaseRow, at: Date, deliveredBy?: 'window' | 'post'): Promise<void> {
    const change: CaseStatusChangedV1 = {
      applicationId: row.application_id,
      status: row.status,
      version: row.version,
      at: at.toISOString(),
      ...(row.reason !== null && { reason: row.reason }),
      ...(row.legal_basis !== null && { legalBasis: row.legal_basis }),
      ...(row.supplement !== null && row.status === 'supplement-requested' && { supplement: row.supplement }),
      ...(row.deadline !== null && { deadline: row.deadline }),
      ...(deliveredBy && { deliveredBy }),
    };
    if (row.filing_region === this.config.region) {
      await this.applications.applyStatus(manager, change);
      return;
    }
    await this.publisher.publish(manager, AFFAIRS_CASE_STATUS_CHANGED_V1, row.application_id, change, {
      target: row.filing_region,
    });
  }
}

export function caseNotFound(applicationId: string): DomainError {
  return new DomainError('AFFAIRS.CASE_NOT_FOUND', 'not-found', `No case ${applicationId} handled here`);
}

export type { OfficerStatus };
