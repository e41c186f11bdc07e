import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { DeclarationAnswerV1, LedgerDeclarationV1, PeriodSettlementV1 } from '@app/contracts';
import { LogService } from '../log/log.service';
import { ProjectRepository } from '../projects/project.repository';
import { sameSplit, splitDeclaration } from './declaration-split';
import { DeclarationRepository } from './declaration.repository';

/**
 * The other city's declarations and answers, from its log entries. On the host's side, a confirmation of the
 * period's last version whose split is the host's own settles the period: the host appends the settlement.
 */
@Injectable()
export class DeclarationsProjectionService {
  private readonly logger = new Logger(DeclarationsProjectionService.name);

  constructor(
    private readonly declarations: DeclarationRepository,
    private readonly projects: ProjectRepository,
    private readonly log: LogService,
    private readonly config: AppConfig,
  ) {}

  async declared(manager: EntityManager, origin: string, declaration: LedgerDeclarationV1, at: Date): Promise<void> {
    const project = await this.projects.get(manager, declaration.projectId, true);
    if (!project || project.flyIn !== origin) return;
    if (!sameSplit(splitDeclaration(project, declaration.period, declaration.amounts), declaration.split)) {
      this.logger.warn(`${origin}'s split of ${declaration.declarationId} is not the one computed here`);
    }
    await this.declarations.insert(manager, origin, declaration, at);
  }

  async answered(
    manager: EntityManager,
    origin: string,
    kind: 'declaration.confirmed' | 'declaration.disputed',
    answer: DeclarationAnswerV1,
    at: Date,
  ): Promise<void> {
    const declaration = await this.declarations.get(manager, answer.declarationId);
    if (!declaration || declaration.declaredBy !== this.config.region || declaration.status !== 'declared') return;
    const project = (await this.projects.get(manager, declaration.projectId, true))!;
    if (![project.flyOut, project.flyIn].includes(origin)) return;
    if (kind === 'declaration.disputed') {
      await this.declarations.answer(manager, declaration.declarationId, {
        status: 'disputed',
        reason: answer.reason,
        at,
      });
      return;
    }
    await this.declarations.answer(manager, declaration.declarationId, {
      status: 'confirmed',
      split: answer.split,
      at,
    });
    const latest = await this.declarations.latest(manager, declaration.projectId, declaration.period);
    if (latest?.declarationId !== declaration.declarationId || !sameSplit(answer.split ?? [], declaration.split)) {
      this.logger.warn(`${origin} confirmed ${declaration.declarationId} but it does not settle its period`);
      return;
    }
    await this.declarations.settle(manager, declaration.projectId, declaration.period, declaration.declarationId, at);
    const settlement: PeriodSettlementV1 = {
      projectId: declaration.projectId,
      period: declaration.period,
      declarationId: declaration.declarationId,
      version: declaration.version,
    };
    await this.log.append(manager, {
      kind: 'period.settled',
      at: at.toISOString(),
      actor: `ledger:${this.config.region}`,
      settlement,
    });
  }

  async settled(manager: EntityManager, origin: string, settlement: PeriodSettlementV1, at: Date): Promise<void> {
    const declaration = await this.declarations.get(manager, settlement.declarationId);
    if (!declaration || declaration.declaredBy !== origin || declaration.status !== 'confirmed') return;
    await this.declarations.settle(manager, settlement.projectId, settlement.period, settlement.declarationId, at);
  }
}
