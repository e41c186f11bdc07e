import { DomainError } from '@app/http';

export function alertNotFound(alertId: string): DomainError {
  return new DomainError('POLICE.ALERT_NOT_FOUND', 'not-found', `No alert ${alertId}`, { details: { alertId } });
}
