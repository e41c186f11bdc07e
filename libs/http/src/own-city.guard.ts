import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { DomainError } from './domain.error';
import { AuthenticatedRequest } from './principal.model';

/**
 * Global guard, after the AuthGuard: a city's node answers only its own city's callers, on every endpoint. Another
 * city's people use their own city's node, which holds what was shared with it; no endpoint needs an exception.
 */
@Injectable()
export class OwnCityGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    // @Public() endpoints have no caller to check.
    if (principal && principal.region !== this.config.region) {
      throw new DomainError(
        'AUTH.OTHER_CITY',
        'forbidden',
        `This is ${this.config.region}'s node; a caller of ${principal.region} uses its own city's node`,
      );
    }
    return true;
  }
}
