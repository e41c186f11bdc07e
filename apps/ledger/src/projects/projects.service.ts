import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { LedgerProjectV1 } from '@app/contracts';
import { DomainError, Principal, actorOf } from '@app/http';
import { Clock } from '@app/platform';
import { LogService } from '../log/log.service';
import { ProjectRegisterDto } from './dto/project-register.dto';
import { projectNotFound } from './project.errors';
import { ProjectRepository, ProjectView } from './project.repository';

const DEFAULT_SHARES = { flyOut: 60, flyIn: 40 };

/** This city's part in two-party sign-off: it registers a project, or confirms one the other city registered. */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projects: ProjectRepository,
    private readonly log: LogService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async register(principal: Principal, dto: ProjectRegisterDto): Promise<ProjectView> {
    const region = this.config.region;
    const project: LedgerProjectV1 = { projectId: randomUUID(), ...dto, shares: dto.shares ?? DEFAULT_SHARES };
    const errors = [];
    if (project.flyOut === project.flyIn) errors.push({ field: 'flyIn', messages: ['flyIn must not be flyOut'] });
    for (const field of ['flyOut', 'flyIn'] as const) {
      if (!this.config.registry.has(project[field])) {
        errors.push({ field, messages: [`${field} must be a region of the registry`] });
      }
    }
    if (project.shares.flyOut + project.shares.flyIn === 0) {
      errors.push({ field: 'shares', messages: ['the shares must not both be 0'] });
    }
    if (project.validUntil < project.validFrom) {
      errors.push({ field: 'validUntil', messages: ['validUntil must not be before validFrom'] });
    }
    if (errors.length > 0) throw new DomainError('LEDGER.INVALID_PROJECT', 'invalid', 'invalid project', { errors });
    if (project.flyOut !== region && project.flyIn !== region) {
      throw new DomainError('LEDGER.NOT_A_PARTY', 'forbidden', `${region} registers only projects it is a party to`);
    }
    const at = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      await this.projects.insert(manager, region, project, at);
      await this.log.append(manager, {
        kind: 'project.registered',
        at: at.toISOString(),
        actor: actorOf(principal),
        project,
      });
    });
    return (await this.projects.get(this.dataSource.manager, project.projectId))!;
  }

  /** The other party's sign-off: the project takes effect. */
  async confirm(principal: Principal, projectId: string): Promise<ProjectView> {
    const region = this.config.region;
    await this.dataSource.transaction(async (manager) => {
      const project = await this.projects.get(manager, projectId, true);
      if (!project) throw projectNotFound(projectId);
      if (project.registeredBy === region) {
        throw new DomainError('LEDGER.OWN_REGISTRATION', 'conflict', 'the other city confirms a registration');
      }
      if (project.status !== 'proposed') {
        throw new DomainError('LEDGER.ALREADY_CONFIRMED', 'conflict', `project ${projectId} is ${project.status}`);
      }
      const at = this.clock.now();
      await this.projects.confirm(manager, projectId, at);
      await this.log.append(manager, {
        kind: 'project.confirmed',
        at: at.toISOString(),
        actor: actorOf(principal),
        confirmation: { projectId, agreementSha256: project.agreementSha256 },
      });
    });
    return (await this.projects.get(this.dataSource.manager, projectId))!;
  }
}
