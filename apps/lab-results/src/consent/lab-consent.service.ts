import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { ConsentDb, ConsentService, consentCovers } from '@app/consent';
import { CONTINUITY_OF_CARE } from '@app/contracts';
import { advisoryXactLock } from '@app/database';

/** Lab results cross the line for the medical alliance's continuity of care, as health records do. */
export const LAB_PURPOSE = CONTINUITY_OF_CARE;

/**
 * What lab-results asks of the patients' consents (kept by @app/consent from health-records' events). The city that
 * issues a report is its authority, and the consent that lets it cross is the one that city recorded (its home).
 */
@Injectable()
export class LabConsentService {
  constructor(
    private readonly consents: ConsentService,
    private readonly config: AppConfig,
  ) {}

  /** The peers this city may send the patient's reports to at `at`. */
  shareTargets(db: ConsentDb, patient: string, at: Date): Promise<string[]> {
    return this.consents.activeRegions(db, {
      patient,
      home: this.config.region,
      peers: this.config.peers,
      purpose: LAB_PURPOSE,
      at,
    });
  }

  /** The peers whose reports of the patient this city may hold and use at `at`. */
  async consentingOrigins(db: ConsentDb, patient: string, at: Date): Promise<Set<string>> {
    const origins = new Set<string>();
    for (const home of this.config.peers) {
      const active = await this.consents.isActive(db, {
        patient,
        home,
        region: this.config.region,
        purpose: LAB_PURPOSE,
        at,
      });
      if (active) origins.add(home);
    }
    return origins;
  }

  /**
   * Serialises what this node does with one patient's data from `home`: a report arriving on the lab topic and a
   * revocation arriving on the health topic are applied by different transactions, and without this a report
   * could commit just after the purge that should have removed it.
   */
  async lockPatient(manager: EntityManager, home: string, patient: string): Promise<void> {
    await advisoryXactLock(manager, `lab-patient:${home}:${patient}`);
  }

  /**
   * This city knows consents of the patient from `home` and none lets it hold the data (revoked or expired). With
   * none known at all, the consent may still be on its way (it travels on another topic than the report).
   */
  async knownRevoked(db: ConsentDb, home: string, patient: string, at: Date): Promise<boolean> {
    const known = await this.consents.forPatients(db, home, [patient]);
    const query = { region: this.config.region, purpose: LAB_PURPOSE, at };
    return known.length > 0 && !known.some((consent) => consentCovers(consent, query));
  }
}
