import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import { AppConfig } from '@app/config';
import { ConsentService, coveredRegions } from '@app/consent';
import {
  ConsentGrantedV1,
  ConsentRevokedV1,
  HEALTH_CONSENT_GRANTED_V1,
  HEALTH_CONSENT_REVOKED_V1,
} from '@app/contracts';
import { Clock } from '@app/platform';
import { LAB_PURPOSE, LabConsentService } from '../consent/lab-consent.service';
import { ReportsService } from '../reports/reports.service';

/**
 * Consents from health-records, of this city's own patients (copies health-records sends its own region) and of
 * other cities' patients granted to this one. A new consent here sends the patient's existing reports to its
 * grantees; a revocation from a peer purges what that peer sent of the patient.
 */
@Controller()
export class ShareOrPurgeWhenConsentChangedHandler {
  constructor(
    private readonly consents: ConsentService,
    private readonly reports: ReportsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly labConsent: LabConsentService,
  ) {}

  @EventPattern(HEALTH_CONSENT_GRANTED_V1)
  async granted(@Payload() grant: ConsentGrantedV1, @Ctx() context: BusContext): Promise<void> {
    const { manager, origin } = context;
    const change = await this.consents.apply(manager, origin, { type: HEALTH_CONSENT_GRANTED_V1, data: grant });
    if (!change.changed || origin !== this.config.region) return;
    const consent = await this.consents.find(manager, origin, grant.consentId);
    const targets = coveredRegions(consent ? [consent] : [], this.config.peers, LAB_PURPOSE, this.clock.now());
    await this.reports.shareExisting(manager, grant.patient, targets);
  }

  @EventPattern(HEALTH_CONSENT_REVOKED_V1)
  async revoked(@Payload() revocation: ConsentRevokedV1, @Ctx() context: BusContext): Promise<void> {
    const { manager, origin } = context;
    await this.labConsent.lockPatient(manager, origin, revocation.patient);
    const change = await this.consents.apply(manager, origin, { type: HEALTH_CONSENT_REVOKED_V1, data: revocation });
    if (!change.changed || origin === this.config.region) return;
    const purgeable = await this.consents.patientsPurgeable(manager, {
      patients: [revocation.patient],
      home: origin,
      region: this.config.region,
      purpose: LAB_PURPOSE,
      at: this.clock.now(),
    });
    if (purgeable.length > 0) await this.reports.purge(manager, origin, revocation.patient);
  }
}
