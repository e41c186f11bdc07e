import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { advisoryXactLock } from '@app/database';
import { AuthorityRow, CertificationRepository } from './certification.repository';

/** How many times a request or a claim may be passed on along hand-overs before it is refused. */
export const MAX_HOPS = 16;

/**
 * The one city per person that may certify them and that decides their exclusive benefits: the holder of the
 * person's authority. Before any hand-over it is the person's registrar, which every city computes alike.
 */
@Injectable()
export class PersonAuthorityService {
  constructor(
    private readonly config: AppConfig,
    private readonly certifications: CertificationRepository,
  ) {}

  /** Certifying, handing over and arbitrating a person's claims happen one at a time in this city. */
  lock(manager: EntityManager, person: string): Promise<void> {
    return advisoryXactLock(manager, `talent:person:${person}`);
  }

  /** The holder as this city knows it: exact when this city holds it or handed it on, else where to ask. */
  async holderOf(manager: EntityManager, person: string): Promise<AuthorityRow> {
    return (
      (await this.certifications.authorityOf(manager, person)) ?? {
        holder: registrarOf(person, this.config.registry.names),
        epoch: 0,
      }
    );
  }
}

/** Rendezvous hashing over the registry's regions: the same answer in every city, with no message exchanged. */
export function registrarOf(person: string, regions: readonly string[]): string {
  const score = (region: string) => createHash('sha256').update(`${region}\n${person}`).digest('hex');
  return [...regions].sort((a, b) => (score(a) < score(b) ? 1 : score(a) > score(b) ? -1 : a.localeCompare(b)))[0];
}
