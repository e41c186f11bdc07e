import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LedgerEntryAppendedV1 } from '@app/contracts';
import { DeclarationsProjectionService } from '../declarations/declarations-projection.service';
import { ProjectsProjectionService } from '../projects/projects-projection.service';
import { LogProjectionService } from './log-projection.service';

/** A peer's entry: appended to this city's copy of its log and, the first time, applied to the projects it is about. */
@Injectable()
export class LedgerEntriesProjectionService {
  constructor(
    private readonly logs: LogProjectionService,
    private readonly projects: ProjectsProjectionService,
    private readonly declarations: DeclarationsProjectionService,
  ) {}

  async apply(manager: EntityManager, origin: string, appended: LedgerEntryAppendedV1): Promise<void> {
    if (!(await this.logs.copy(manager, origin, appended))) return;
    const { entry } = appended;
    const at = new Date(entry.at);
    switch (entry.kind) {
      case 'project.registered':
        return this.projects.registered(manager, origin, entry.project!, at);
      case 'project.confirmed':
        return this.projects.confirmed(manager, origin, entry.confirmation!, at);
      case 'declaration.declared':
        return this.declarations.declared(manager, origin, entry.declaration!, at);
      case 'declaration.confirmed':
      case 'declaration.disputed':
        return this.declarations.answered(manager, origin, entry.kind, entry.answer!, at);
      case 'period.settled':
        return this.declarations.settled(manager, origin, entry.settlement!, at);
    }
  }
}
