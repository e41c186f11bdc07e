import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { declarationNotFound } from './declaration.errors';
import { DeclarationRepository, DeclarationView } from './declaration.repository';

const LIST_LIMIT = 1000;

@Injectable()
export class DeclarationsQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly declarations: DeclarationRepository,
  ) {}

  list(filter: { projectId?: string; period?: string }): Promise<DeclarationView[]> {
    return this.declarations.list(this.dataSource.manager, filter, LIST_LIMIT);
  }

  async get(declarationId: string): Promise<DeclarationView> {
    const declaration = await this.declarations.get(this.dataSource.manager, declarationId);
    if (!declaration) throw declarationNotFound(declarationId);
    return declaration;
  }
}
