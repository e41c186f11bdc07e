import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { POLICE_CODE } from '@app/contracts';
import { AuthenticatedRequest, DomainError } from '@app/http';

/**
 * A unit works through its own city's service: what it raises is published as that city's, and what it is
 * delivered is recorded there. Its organisation code names it in events, so it must be a valid code.
 */
@Injectable()
export class OwnRegionUnitGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) return true;
    if (principal.region !== this.config.region) {
      throw new DomainError(
        'POLICE.FOREIGN_UNIT',
        'forbidden',
        `This is ${this.config.region}'s police service; a unit of ${principal.region} uses its own`,
      );
    }
    if (!POLICE_CODE.test(principal.org)) {
      throw new DomainError(
        'POLICE.BAD_UNIT_CODE',
        'invalid',
        `The caller's org '${principal.org}' is not a unit code`,
      );
    }
    return true;
  }
}
