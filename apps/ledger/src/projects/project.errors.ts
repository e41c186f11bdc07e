import { DomainError } from '@app/http';

export function projectNotFound(projectId: string): DomainError {
  return new DomainError('LEDGER.PROJECT_NOT_FOUND', 'not-found', `no project ${projectId} of this city`);
}
