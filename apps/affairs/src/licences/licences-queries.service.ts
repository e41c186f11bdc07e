import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { LicenceStateV1 } from '@app/contracts';
import { Clock } from '@app/platform';
import { chinaDate } from '../clock/working-calendar';
import { licenceSignatureValid } from './licence-signature';
import { LicenceRepository } from './licence.repository';

export interface LicenceVerification {
  creditCode: string;
  /** True when at least one licence is valid now, its signature verified. */
  valid: boolean;
  licences: (LicenceStateV1 & {
    issuingRegion: string;
    signatureValid: boolean;
    /** valid, suspended, revoked, or expired (valid but outside its validity). */
    verdict: 'valid' | 'suspended' | 'revoked' | 'expired' | 'forged';
  })[];
}

/** Verifies an enterprise's licences from this city's replica of the register, offline, with the registry's keys. */
@Injectable()
export class LicencesQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly licences: LicenceRepository,
    private readonly clock: Clock,
  ) {}

  async verify(creditCode: string): Promise<LicenceVerification> {
    const today = chinaDate(this.clock.now());
    const licences = (await this.licences.byCreditCode(this.dataSource.manager, creditCode)).map((row) => {
      const signatureValid = licenceSignatureValid(row.state, row.origin, this.config.registry);
      const expired = today < row.state.validFrom || today > row.state.validUntil;
      const verdict = !signatureValid
        ? ('forged' as const)
        : row.state.status !== 'valid'
          ? row.state.status
          : expired
            ? ('expired' as const)
            : ('valid' as const);
      return { ...row.state, issuingRegion: row.origin, signatureValid, verdict };
    });
    return { creditCode, valid: licences.some((licence) => licence.verdict === 'valid'), licences };
  }
}
