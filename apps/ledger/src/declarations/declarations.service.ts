import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { LedgerDeclarationV1 } from '@app/contracts';
import { DomainError, Principal, actorOf } from '@app/http';
import { Clock } from '@app/platform';
import { LogService } from '../log/log.service';
import { projectNotFound } from '../projects/project.errors';
import { ProjectRepository, ProjectView } from '../projects/project.repository';
import { sameSplit, splitDeclaration } from './declaration-split';
import { declarationNotFound } from './declaration.errors';
import { DeclarationRepository, DeclarationView } from './declaration.repository';
import { DeclarationDeclareDto } from './dto/declaration-declare.dto';

/** The first and last day of a period (YYYY-MM-DD). */
function periodDays(period: string): [string, string] {
  const year = Number(period.slice(0, 4));
  const [firstMonth, months] = period[5] === 'Q' ? [(Number(period[6]) - 1) * 3 + 1, 3] : [Number(period.slice(5)), 1];
  const first = new Date(Date.UTC(year, firstMonth - 1, 1));
  const last = new Date(Date.UTC(year, firstMonth - 1 + months, 0));
  return [first.toISOString().slice(0, 10), last.toISOString().slice(0, 10)];
}

/**
 * This city's declarations (as host of a project) and its answers to the other city's: each appended to its log.
 * A correction is a new version naming the one it corrects; the period settles when the other city confirms its
 * last version (DeclarationsProjectionService, on the host's side).
 */
@Injectable()
export class DeclarationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly declarations: DeclarationRepository,
    private readonly projects: ProjectRepository,
    private readonly log: LogService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async declare(principal: Principal, dto: DeclarationDeclareDto): Promise<DeclarationView> {
    const region = this.config.region;
    const declarationId = randomUUID();
    await this.dataSource.transaction(async (manager) => {
      const project = await this.projects.get(manager, dto.projectId, true);
      if (!project) throw projectNotFound(dto.projectId);
      if (project.flyIn !== region) {
        throw new DomainError('LEDGER.NOT_HOST', 'forbidden', `the host city ${project.flyIn} declares this project`);
      }
      if (project.status !== 'effective') {
        throw new DomainError('LEDGER.NOT_EFFECTIVE', 'conflict', 'the project awaits the other city’s confirmation');
      }
      const [first, last] = periodDays(dto.period);
      if (last < project.validFrom || first > project.validUntil) {
        throw new DomainError('LEDGER.OUTSIDE_VALIDITY', 'invalid', `${dto.period} is outside the project's validity`, {
          errors: [
            { field: 'period', messages: [`period must fall within ${project.validFrom} to ${project.validUntil}`] },
          ],
        });
      }
      const indicators = dto.amounts.map((amount) => amount.indicator);
      const unknown = indicators.filter((indicator) => !project.indicators.includes(indicator));
      if (unknown.length > 0 || new Set(indicators).size !== indicators.length) {
        throw new DomainError('LEDGER.BAD_INDICATORS', 'invalid', 'each of the project’s indicators at most once', {
          errors: [
            { field: 'amounts', messages: [`indicators must be distinct, of ${project.indicators.join(', ')}`] },
          ],
        });
      }
      const latest = await this.declarations.latest(manager, project.projectId, dto.period);
      if (latest && dto.corrects === undefined) {
        throw new DomainError(
          'LEDGER.ALREADY_DECLARED',
          'conflict',
          `${dto.period} is declared: correct its last version`,
          {
            details: { declarationId: latest.declarationId, version: latest.version },
          },
        );
      }
      if (dto.corrects !== undefined) {
        if (!latest || latest.declarationId !== dto.corrects) {
          throw new DomainError('LEDGER.NOT_LATEST', 'conflict', 'a correction names the period’s last version', {
            details: { latest: latest?.declarationId },
          });
        }
        if (latest.status === 'confirmed' || latest.settled) {
          throw new DomainError('LEDGER.SETTLED', 'conflict', `${dto.period} is settled`);
        }
      }
      const declaration: LedgerDeclarationV1 = {
        declarationId,
        projectId: project.projectId,
        period: dto.period,
        version: (latest?.version ?? 0) + 1,
        ...(dto.corrects !== undefined && { corrects: dto.corrects }),
        amounts: dto.amounts,
        split: splitDeclaration(project, dto.period, dto.amounts),
      };
      const at = this.clock.now();
      await this.declarations.insert(manager, region, declaration, at);
      await this.log.append(manager, {
        kind: 'declaration.declared',
        at: at.toISOString(),
        actor: actorOf(principal),
        declaration,
      });
    });
    return (await this.declarations.get(this.dataSource.manager, declarationId))!;
  }

  /** The other city confirms: it computes the split itself, and confirms only if it is the one declared. */
  async confirm(principal: Principal, declarationId: string): Promise<DeclarationView> {
    await this.dataSource.transaction(async (manager) => {
      const { declaration, project } = await this.answerable(manager, declarationId);
      const split = splitDeclaration(project, declaration.period, declaration.amounts);
      if (!sameSplit(split, declaration.split)) {
        throw new DomainError(
          'LEDGER.SPLIT_MISMATCH',
          'conflict',
          'the split declared is not the one computed here: dispute it',
          {
            details: { computed: split, declared: declaration.split },
          },
        );
      }
      const at = this.clock.now();
      await this.declarations.answer(manager, declarationId, { status: 'confirmed', split, at });
      await this.log.append(manager, {
        kind: 'declaration.confirmed',
        at: at.toISOString(),
        actor: actorOf(principal),
        answer: {
          declarationId,
          projectId: project.projectId,
          period: declaration.period,
          version: declaration.version,
          split,
        },
      });
    });
    return (await this.declarations.get(this.dataSource.manager, declarationId))!;
  }

  async dispute(principal: Principal, declarationId: string, reason: string): Promise<DeclarationView> {
    await this.dataSource.transaction(async (manager) => {
      const { declaration, project } = await this.answerable(manager, declarationId);
      const at = this.clock.now();
      await this.declarations.answer(manager, declarationId, { status: 'disputed', reason, at });
      await this.log.append(manager, {
        kind: 'declaration.disputed',
        at: at.toISOString(),
        actor: actorOf(principal),
        answer: {
          declarationId,
          projectId: project.projectId,
          period: declaration.period,
          version: declaration.version,
          reason,
        },
      });
    });
    return (await this.declarations.get(this.dataSource.manager, declarationId))!;
  }

  /** A declaration the other city made, still unanswered, the last version of its period. */
  private async answerable(
    manager: EntityManager,
    declarationId: string,
  ): Promise<{ declaration: DeclarationView; project: ProjectView }> {
    const declaration = await this.declarations.get(manager, declarationId);
    if (!declaration) throw declarationNotFound(declarationId);
    const project = (await this.projects.get(manager, declaration.projectId, true))!;
    if (declaration.declaredBy === this.config.region) {
      throw new DomainError('LEDGER.OWN_DECLARATION', 'conflict', 'the other city answers a declaration');
    }
    const latest = await this.declarations.latest(manager, declaration.projectId, declaration.period);
    if (latest?.declarationId !== declarationId) {
      throw new DomainError('LEDGER.NOT_LATEST', 'conflict', `version ${declaration.version} was corrected`, {
        details: { latest: latest?.declarationId },
      });
    }
    if (declaration.status !== 'declared') {
      throw new DomainError(
        'LEDGER.ALREADY_ANSWERED',
        'conflict',
        `declaration ${declarationId} is ${declaration.status}`,
      );
    }
    return { declaration, project };
  }
}
