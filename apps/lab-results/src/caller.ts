import { AppConfig } from '@app/config';
import { DomainError, Principal } from '@app/http';

/** Writes and questions at a node come from its own city's organisations only. */
export function assertOwnRegion(principal: Principal, config: AppConfig): void {
  if (principal.region !== config.region) {
    throw new DomainError(
      'LAB.WRONG_REGION',
      'forbidden',
      `this is the ${config.region} node; a caller of ${principal.region} uses its own city's node`,
    );
  }
}
