import { AppConfig } from '@app/config';
import { DomainError, Principal } from '@app/http';

/** Callers act only on the service of their own city: a token of another region is refused. */
export function assertOwnRegion(principal: Principal, config: AppConfig): void {
  if (principal.region !== config.region) {
    throw new DomainError(
      'HEALTH.WRONG_REGION',
      'forbidden',
      `a caller of region ${principal.region} cannot use the health-records service of ${config.region}`,
    );
  }
}

export function actorOf(principal: Principal): string {
  return principal.sub ?? `${principal.org}:${principal.role}`;
}
