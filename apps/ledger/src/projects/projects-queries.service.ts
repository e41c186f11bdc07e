import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { projectNotFound } from './project.errors';
import { ProjectRepository, ProjectView } from './project.repository';

const LIST_LIMIT = 1000;

@Injectable()
export class ProjectsQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projects: ProjectRepository,
  ) {}

  list(): Promise<ProjectView[]> {
    return this.projects.list(this.dataSource.manager, LIST_LIMIT);
  }

  async get(projectId: string): Promise<ProjectView> {
    const project = await this.projects.get(this.dataSource.manager, projectId);
    if (!project) throw projectNotFound(projectId);
    return project;
  }
}
