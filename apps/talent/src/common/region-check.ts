import { DomainError, Principal } from '@app/http';

/** Only this city's own bureau may change what this city is the authority for. */
export function assertOwnRegion(principal: Principal, region: string): void {
  if (principal.region !== region) {
    throw new DomainError(
      'TALENT.WRONG_REGION',
      'forbidden',
      `only a bureau of ${region} may do this here; the caller belongs to ${principal.region}`,
    );
  }
}
