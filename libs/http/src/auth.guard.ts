import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '@app/config';
import type { Response } from 'express';
import { IS_PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { AuthenticatedRequest, Principal, ROLES, Role, isRole } from './principal.model';
import { TokenVerifier } from './token-verifier';

/**
 * Global guard: every HTTP endpoint needs a valid bearer token unless it is `@Public()`,
 * and a caller whose role is not in the endpoint's `@Roles(...)` is refused.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Bus events are authenticated by their signatures, not by bearer tokens.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      throw new UnauthorizedException('This endpoint needs an Authorization: Bearer <token> header');
    }

    const principal = await this.authenticate(token).catch((error: unknown) => {
      if (error instanceof UnauthorizedException) {
        http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      }
      throw error;
    });
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new ForbiddenException(
        `Role '${principal.role}' may not call this endpoint; it needs ${roles.join(' or ')}`,
      );
    }
    return true;
  }

  private async authenticate(token: string): Promise<Principal> {
    const { role, region, org, sub } = await this.tokens.verify(token);
    if (!isRole(role)) {
      throw new UnauthorizedException(`The bearer token's role must be one of ${ROLES.join(', ')}`);
    }
    if (typeof region !== 'string' || !this.config.registry.has(region)) {
      throw new UnauthorizedException(
        `The bearer token's region must be one of ${this.config.registry.names.join(', ')}`,
      );
    }
    if (typeof org !== 'string' || !/^[^\p{Cc}\p{Cs}]{1,100}$/u.test(org)) {
      throw new UnauthorizedException(
        "The bearer token's org must name an organisation (1 to 100 characters, no control characters)",
      );
    }
    if (sub !== undefined && (typeof sub !== 'string' || !/^[^\p{Cc}\p{Cs}]{1,200}$/u.test(sub))) {
      throw new UnauthorizedException("The bearer token's sub must be 1 to 200 characters, no control characters");
    }
    return { role, region, org, sub };
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}
