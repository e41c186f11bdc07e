import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { LedgerProjectV1, ProjectConfirmationV1 } from '@app/contracts';
import { ProjectRepository } from './project.repository';

/** The other city's registrations and confirmations, from its log entries. */
@Injectable()
export class ProjectsProjectionService {
  private readonly logger = new Logger(ProjectsProjectionService.name);

  constructor(
    private readonly projects: ProjectRepository,
    private readonly config: AppConfig,
  ) {}

  async registered(manager: EntityManager, origin: string, project: LedgerProjectV1, at: Date): Promise<void> {
    const parties = [project.flyOut, project.flyIn];
    // A third city keeps the entry in its copy of the log, but is no party to the project.
    if (!parties.includes(this.config.region) || !parties.includes(origin)) return;
    await this.projects.insert(manager, origin, project, at);
  }

  async confirmed(
    manager: EntityManager,
    origin: string,
    confirmation: ProjectConfirmationV1,
    at: Date,
  ): Promise<void> {
    const project = await this.projects.get(manager, confirmation.projectId, true);
    if (!project || project.registeredBy === origin || ![project.flyOut, project.flyIn].includes(origin)) return;
    if (project.agreementSha256 !== confirmation.agreementSha256) {
      this.logger.warn(`${origin} confirmed project ${project.projectId} for another agreement; it stays proposed`);
      return;
    }
    await this.projects.confirm(manager, project.projectId, at);
  }
}
