import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  AFFAIRS_APPLICATION_SUBMITTED_V1,
  AFFAIRS_CASE_RATED_V1,
  AFFAIRS_SUPPLEMENT_PROVIDED_V1,
  FieldError,
  SealedApplicant,
} from '@app/contracts';
import { DomainError, Principal, actorOf } from '@app/http';
import { Clock } from '@app/platform';
import { AffairsMetrics } from '../affairs.metrics';
import { MatterCatalogue, MatterEntry } from '../catalogue/matter-catalogue';
import { CasesService } from '../cases/cases.service';
import { RegionEncryption } from '../keys/region-encryption';
import { ApplicationRepository } from './application.repository';
import { ApplicationFileDto } from './dto/application-file.dto';
import { chunkBytes, materialTransfer } from './material-transfer';
import { ReceivedMaterial, UploadedMaterial, checkMaterials } from './materials';

export interface FiledApplicationView {
  applicationId: string;
  matterCode: string;
  handlingRegion: string;
  status: 'submitted' | 'received';
  materials: Omit<ReceivedMaterial, 'content'>[];
}

/**
 * The filing city's window (收受分离): checks the applicant's identity and the materials' form against the matter,
 * keeps the materials with their SHA-256, and forwards the file to the city that handles the matter, which decides.
 * A matter this city handles itself (or decides under authorisation) opens its case here at once.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly catalogue: MatterCatalogue,
    private readonly pseudonyms: Pseudonymizer,
    private readonly publisher: BusPublisher,
    private readonly encryption: RegionEncryption,
    private readonly applications: ApplicationRepository,
    private readonly cases: CasesService,
    private readonly clock: Clock,
    private readonly metrics: AffairsMetrics,
  ) {}

  async file(
    dto: ApplicationFileDto,
    files: readonly UploadedMaterial[],
    principal: Principal,
  ): Promise<FiledApplicationView> {
    const matter = this.catalogue.find(dto.matterCode);
    if (!matter) {
      throw invalid([
        { field: 'matterCode', messages: [`no matter ${dto.matterCode} in catalogue ${this.catalogue.version}`] },
      ]);
    }
    const errors: FieldError[] = [];
    if (!this.catalogue.acceptsAt(matter, this.config.region)) {
      errors.push({
        field: 'matterCode',
        messages: [`${matter.code} is not accepted at ${this.config.region}'s window`],
      });
    }
    const expectedKind = matter.category === 'enterprise' ? 'enterprise' : 'person';
    if (dto.applicant.kind !== expectedKind) {
      errors.push({ field: 'applicant.kind', messages: [`${matter.code} is a matter for a ${expectedKind}`] });
    }
    const handling = this.handlingRegion(matter, dto, errors);
    const { materials, errors: materialErrors } = checkMaterials(matter, files);
    errors.push(...materialErrors);
    if (errors.length > 0 || handling === undefined) throw invalid(errors);

    const applicationId = randomUUID();
    const now = this.clock.now();
    const person = this.pseudonyms.of(dto.applicant.residentId);
    const contentKey = randomBytes(32);
    const applicant: SealedApplicant = {
      residentId: dto.applicant.residentId,
      name: dto.applicant.name,
      mobile: dto.applicant.mobile,
      ...(dto.applicant.enterpriseName && { enterpriseName: dto.applicant.enterpriseName }),
      ...(dto.postalAddress && { postalAddress: dto.postalAddress }),
      contentKey: contentKey.toString('base64'),
    };
    const creditCode = dto.applicant.kind === 'enterprise' ? dto.applicant.creditCode! : null;
    const status = await this.dataSource.transaction(async (manager) => {
      await this.applications.insert(manager, {
        application_id: applicationId,
        matter_code: matter.code,
        handling_region: handling,
        applicant_kind: dto.applicant.kind,
        person,
        credit_code: creditCode,
        filed_by: actorOf(principal),
        filed_at: now,
        // Kept, sealed to this city's own key, for the supplements that may follow.
        content_key: this.encryption.sealFor(this.config.region, contentKey, `${applicationId}/content-key`),
      });
      await this.applications.insertMaterials(manager, 'filed', applicationId, 0, materials);
      if (handling === this.config.region) {
        await this.cases.open(manager, {
          applicationId,
          filingRegion: this.config.region,
          matterCode: matter.code,
          catalogueVersion: this.catalogue.version,
          applicantKind: dto.applicant.kind,
          person,
          creditCode,
          applicant,
          delivery: dto.delivery,
          materials,
        });
        return 'received' as const;
      }
      await this.send(manager, applicationId, handling, applicant, contentKey, materials, {
        matterCode: matter.code,
        applicantKind: dto.applicant.kind,
        person,
        creditCode,
        delivery: dto.delivery,
        submittedAt: now,
      });
      return 'submitted' as const;
    });
    this.metrics.applications.inc({ matter: matter.code, handling: handling === this.config.region ? 'here' : 'peer' });
    return {
      applicationId,
      matterCode: matter.code,
      handlingRegion: handling,
      status,
      materials: materials.map(({ content: _content, ...described }) => described),
    };
  }

  /** The applicant brings what the handling city asked for (补正): kept here, forwarded like the application. */
  async supplement(
    applicationId: string,
    files: readonly UploadedMaterial[],
    note: string | undefined,
    principal: Principal,
  ): Promise<{ applicationId: string; round: number }> {
    return this.dataSource.transaction(async (manager) => {
      const application = await this.applications.get(manager, applicationId, true);
      if (!application) throw notFound(applicationId);
      if (application.status !== 'supplement-requested') {
        throw new DomainError(
          'AFFAIRS.NO_SUPPLEMENT_REQUESTED',
          'conflict',
          `Application ${applicationId} is ${application.status}: no supplement was requested`,
        );
      }
      const matter = this.catalogue.get(application.matter_code);
      const { materials, errors } = checkMaterials(matter, files, { mandatory: false });
      if (materials.length === 0 && errors.length === 0) {
        errors.push({ field: 'materials', messages: ['a supplement brings at least one material'] });
      }
      if (errors.length > 0) throw invalid(errors);
      const round = await this.applications.nextSupplementRound(manager, applicationId);
      await this.applications.insertMaterials(manager, 'filed', applicationId, round, materials);
      const providedAt = this.clock.now();
      if (application.handling_region === this.config.region) {
        await this.cases.supplementProvided(manager, applicationId, round, materials, note, actorOf(principal));
        return { applicationId, round };
      }
      const sealedKey = await this.applications.contentKey(manager, applicationId);
      const contentKey = this.encryption.open(sealedKey, `${applicationId}/content-key`);
      const size = chunkBytes(this.config.kafkaMaxMessageBytes);
      const target = application.handling_region;
      const { manifest, chunks } = materialTransfer(applicationId, round, materials, contentKey, size, target);
      await this.publisher.publishMany(manager, [
        {
          type: AFFAIRS_SUPPLEMENT_PROVIDED_V1,
          subject: applicationId,
          data: { applicationId, round, materials: manifest, note, providedAt: providedAt.toISOString() },
          options: { target },
        },
        ...chunks,
      ]);
      return { applicationId, round };
    });
  }

  /**
   * The applicant rates the handling of a delivered case (好差评, 1 to 5, with reasons below 3), once; the rating
   * is sent to the handling city, whose statistics count it.
   */
  async rate(
    applicationId: string,
    score: number,
    reasons: string[],
  ): Promise<{ applicationId: string; score: number }> {
    if (score <= 2 && reasons.length === 0) {
      throw invalid([{ field: 'reasons', messages: ['reasons are required for a rating of 1 or 2'] }]);
    }
    return this.dataSource.transaction(async (manager) => {
      const application = await this.applications.get(manager, applicationId, true);
      if (!application) throw notFound(applicationId);
      if (application.status !== 'delivered') {
        throw new DomainError('AFFAIRS.NOT_DELIVERED', 'conflict', `Application ${applicationId} is not delivered yet`);
      }
      if (!(await this.applications.setRating(manager, applicationId, score, reasons))) {
        throw new DomainError('AFFAIRS.ALREADY_RATED', 'conflict', `Application ${applicationId} is rated already`);
      }
      if (application.handling_region === this.config.region) {
        await this.cases.rate(manager, this.config.region, { applicationId, score, reasons });
      } else {
        const at = this.clock.now().toISOString();
        await this.publisher.publish(
          manager,
          AFFAIRS_CASE_RATED_V1,
          applicationId,
          { applicationId, score, reasons, at },
          { target: application.handling_region },
        );
      }
      return { applicationId, score };
    });
  }

  private async send(
    manager: EntityManager,
    applicationId: string,
    target: string,
    applicant: SealedApplicant,
    contentKey: Buffer,
    materials: readonly ReceivedMaterial[],
    fields: {
      matterCode: string;
      applicantKind: 'person' | 'enterprise';
      person: string;
      creditCode: string | null;
      delivery: 'window' | 'post';
      submittedAt: Date;
    },
  ): Promise<void> {
    const size = chunkBytes(this.config.kafkaMaxMessageBytes);
    const { manifest, chunks } = materialTransfer(applicationId, 0, materials, contentKey, size, target);
    const sealed = this.encryption.sealFor(
      target,
      Buffer.from(JSON.stringify(applicant)),
      `${applicationId}/${target}`,
    );
    await this.publisher.publishMany(manager, [
      {
        type: AFFAIRS_APPLICATION_SUBMITTED_V1,
        subject: applicationId,
        data: {
          applicationId,
          matterCode: fields.matterCode,
          catalogueVersion: this.catalogue.version,
          applicantKind: fields.applicantKind,
          person: fields.person,
          ...(fields.creditCode !== null && { creditCode: fields.creditCode }),
          sealed,
          materials: manifest,
          delivery: fields.delivery,
          submittedAt: fields.submittedAt.toISOString(),
        },
        options: { target },
      },
      ...chunks,
    ]);
  }

  /** The city the matter's rule designates (or this city, deciding under authorisation); an error names the field. */
  private handlingRegion(matter: MatterEntry, dto: ApplicationFileDto, errors: FieldError[]): string | undefined {
    const { registry, region } = this.config;
    if (matter.routing === 'filing-city-decides') return region;
    switch (matter.handlingRule) {
      case 'resident-area': {
        const home = registry.homeOfResident(dto.applicant.residentId);
        if (!home) {
          errors.push({
            field: 'applicant.residentId',
            messages: [`area ${dto.applicant.residentId.slice(0, 6)} belongs to no city of the pilot zone`],
          });
        }
        return home?.name;
      }
      case 'enterprise-area': {
        const division = dto.applicant.creditCode?.slice(2, 8);
        const home = registry.regions.find((candidate) => division && candidate.areaCodes.includes(division));
        if (!home && division) {
          errors.push({
            field: 'applicant.creditCode',
            messages: [
              `division ${division} (the enterprise's registered address) belongs to no city of the pilot zone`,
            ],
          });
        }
        return home?.name;
      }
      case 'declared-location': {
        const declared = dto.declaredRegion;
        if (declared === undefined || !registry.has(declared)) {
          errors.push({
            field: 'declaredRegion',
            messages: [`${matter.code} is handled where the applicant declares: one of ${registry.names.join(', ')}`],
          });
          return undefined;
        }
        return declared;
      }
    }
  }
}

function invalid(errors: FieldError[]): DomainError {
  return new DomainError(
    'AFFAIRS.INVALID_APPLICATION',
    'invalid',
    `Invalid application: ${errors.map((error) => error.field).join(', ')}`,
    { errors },
  );
}

export function notFound(applicationId: string): DomainError {
  return new DomainError('AFFAIRS.APPLICATION_NOT_FOUND', 'not-found', `No application ${applicationId} here`);
}
