import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CaseClockAlertedV1, CaseStatusChangedV1 } from '@app/contracts';
import { DomainError } from '@app/http';
import { ApplicationRepository, ApplicationRow } from './application.repository';

/**
 * What the handling city sends back about the applications filed here: every transition (the highest version
 * wins, whatever the order of arrival) and the clock alerts. Only the city an application was sent to may speak
 * for it.
 */
@Injectable()
export class ApplicationProjectionService {
  constructor(private readonly applications: ApplicationRepository) {}

  async applyStatus(manager: EntityManager, origin: string, change: CaseStatusChangedV1): Promise<void> {
    await this.handledBy(manager, origin, change.applicationId);
    await this.applications.applyStatus(manager, change);
  }

  async recordClockAlert(manager: EntityManager, origin: string, alert: CaseClockAlertedV1): Promise<void> {
    await this.handledBy(manager, origin, alert.applicationId);
    await this.applications.recordClockAlert(manager, {
      applicationId: alert.applicationId,
      kind: alert.kind,
      handlingRegion: origin,
      deadline: alert.deadline,
      at: new Date(alert.at),
    });
  }

  private async handledBy(manager: EntityManager, origin: string, applicationId: string): Promise<ApplicationRow> {
    const application = await this.applications.get(manager, applicationId);
    if (!application || application.handling_region !== origin) {
      throw new DomainError(
        'AFFAIRS.FOREIGN_STATUS',
        'forbidden',
        `${origin} spoke for application ${applicationId}, which was not sent to it`,
      );
    }
    return application;
  }
}
