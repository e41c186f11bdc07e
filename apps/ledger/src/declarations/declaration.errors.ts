import { DomainError } from '@app/http';

export function declarationNotFound(declarationId: string): DomainError {
  return new DomainError('LEDGER.DECLARATION_NOT_FOUND', 'not-found', `no declaration ${declarationId}`);
}
