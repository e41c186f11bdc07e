import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SealedBox } from '@app/bus';
import { ApplicationSubmittedV1, MaterialChunkV1, SealedApplicant, SupplementProvidedV1 } from '@app/contracts';
import { DomainError } from '@app/http';
import { AppConfig } from '@app/config';
import { reassemble } from '../applications/material-transfer';
import { ReceivedMaterial } from '../applications/materials';
import { RegionEncryption } from '../keys/region-encryption';
import { CaseRepository, InboundRow } from './case.repository';
import { CasesService } from './cases.service';

/**
 * Receives what a filing city transfers: the application (or a supplement) and the chunks of its materials, in
 * any order and however often redelivered. When the last chunk is in, the materials are reassembled and checked
 * against their SHA-256, and the case is opened (or resumed).
 */
@Injectable()
export class CaseIntakeService {
  constructor(
    private readonly config: AppConfig,
    private readonly encryption: RegionEncryption,
    private readonly cases: CaseRepository,
    private readonly casesService: CasesService,
  ) {}

  async receiveApplication(manager: EntityManager, origin: string, application: ApplicationSubmittedV1): Promise<void> {
    // Opened at once, so that a box sealed to another key or another case is refused before anything is stored.
    this.openApplicant(application.applicationId, application.sealed);
    await this.cases.insertInbound(manager, {
      application_id: application.applicationId,
      round: 0,
      origin,
      payload: { ...application },
    });
    await this.complete(manager, application.applicationId, 0);
  }

  async receiveSupplement(manager: EntityManager, origin: string, supplement: SupplementProvidedV1): Promise<void> {
    const row = await this.cases.get(manager, supplement.applicationId);
    if (!row || row.filing_region !== origin) {
      throw new DomainError(
        'AFFAIRS.FOREIGN_SUPPLEMENT',
        'forbidden',
        `${origin} sent a supplement for ${supplement.applicationId}, which it did not file here`,
      );
    }
    await this.cases.insertInbound(manager, {
      application_id: supplement.applicationId,
      round: supplement.round,
      origin,
      payload: { ...supplement },
    });
    await this.complete(manager, supplement.applicationId, supplement.round);
  }

  async receiveChunk(manager: EntityManager, chunk: MaterialChunkV1): Promise<void> {
    await this.cases.insertChunk(manager, chunk);
    await this.complete(manager, chunk.applicationId, chunk.round);
  }

  private async complete(manager: EntityManager, applicationId: string, round: number): Promise<void> {
    const inbound = await this.cases.inbound(manager, applicationId, round);
    if (!inbound) return;
    const expected = inbound.payload.materials.reduce((sum, material) => sum + material.chunks, 0);
    if ((await this.cases.chunkCount(manager, applicationId, round)) < expected) return;
    if (round === 0) {
      const application = inbound.payload as unknown as ApplicationSubmittedV1;
      const applicant = this.openApplicant(applicationId, application.sealed);
      const materials = await this.materials(manager, inbound, Buffer.from(applicant.contentKey, 'base64'));
      await this.casesService.open(manager, {
        applicationId,
        filingRegion: inbound.origin,
        matterCode: application.matterCode,
        catalogueVersion: application.catalogueVersion,
        applicantKind: application.applicantKind,
        person: application.person,
        creditCode: application.creditCode ?? null,
        applicant,
        delivery: application.delivery,
        materials,
      });
    } else {
      const row = await this.cases.get(manager, applicationId);
      if (!row) return;
      const supplement = inbound.payload as unknown as SupplementProvidedV1;
      const materials = await this.materials(manager, inbound, Buffer.from(row.content_key, 'base64'));
      await this.casesService.supplementProvided(manager, applicationId, round, materials, supplement.note, null);
    }
    await this.cases.dropInbound(manager, applicationId, round);
  }

  private async materials(
    manager: EntityManager,
    inbound: InboundRow,
    contentKey: Buffer,
  ): Promise<ReceivedMaterial[]> {
    const materials: ReceivedMaterial[] = [];
    for (const entry of inbound.payload.materials) {
      const chunks = await this.cases.chunks(manager, inbound.application_id, inbound.round, entry.code);
      materials.push(reassemble(inbound.application_id, inbound.round, entry, chunks, contentKey));
    }
    return materials;
  }

  private openApplicant(applicationId: string, sealed: SealedBox): SealedApplicant {
    try {
      const opened = this.encryption.open(sealed, `${applicationId}/${this.config.region}`);
      return JSON.parse(opened.toString('utf8')) as SealedApplicant;
    } catch (error) {
      throw new DomainError(
        'AFFAIRS.SEALED_UNREADABLE',
        'invalid',
        `The applicant of ${applicationId} is not sealed to ${this.config.region}'s key`,
        { cause: error },
      );
    }
  }
}
