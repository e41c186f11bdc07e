import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { AppConfig } from '@app/config';
import type { Response } from 'express';
import { IS_PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { AuthenticatedRequest, Principal, ROLES, Role, isRole } from './principal.model';

/**
 * Global guard: every HTTP endpoint needs a valid bearer token unless it is `@Public()`,
 * and a caller whose role is not in the endpoint's `@Roles(...)` is refused.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
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
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
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
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync<Record<string, unknown>>(token);
    } catch (error) {
      throw new UnauthorizedException(
        error instanceof TokenExpiredError ? 'The bearer token has expired' : 'The bearer token is invalid',
      );
    }

    const { role, region, org, sub } = claims;
    if (!isRole(role)) {
      throw new UnauthorizedException(`The bearer token's role must be one of ${ROLES.join(', ')}`);
    }
    if (typeof region !== 'string' || !this.config.registry.has(region)) {
      throw new UnauthorizedException(
        `The bearer token's region must be one of ${this.config.registry.names.join(', ')}`,
      );
    }
    if (typeof org !== 'string' || org === '') {
      throw new UnauthorizedException("The bearer token's org must name an organisation");
    }
    if (sub !== undefined && typeof sub !== 'string') {
      throw new UnauthorizedException("The bearer token's sub must be a string");
    }
    return { role, region, org, sub };
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}
