import { DomainError } from '@app/http';

export function certificationNotFound(id: string): DomainError {
  return new DomainError('TALENT.CERTIFICATION_NOT_FOUND', 'not-found', `no certification ${id} issued by this city`);
}
