import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { POLICE_CODE } from '@app/contracts';
import { AuthenticatedRequest, DomainError } from '@app/http';

/** A unit's organisation code names it in events, so it must be a valid code (its city is checked by @app/http). */
@Injectable()
export class UnitCodeGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (principal && !POLICE_CODE.test(principal.org)) {
      throw new DomainError(
        'POLICE.BAD_UNIT_CODE',
        'invalid',
        `The caller's org '${principal.org}' is not a unit code`,
      );
    }
    return true;
  }
}
