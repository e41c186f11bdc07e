import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { IS_PUBLIC_KEY } from '@app/http';
import { ConsoleConfig } from '../console.config';
import { SAFE_METHODS } from './request-gate.middleware';
import { readSessionCookie } from './session.cookie';
import { ConsoleSession, ConsoleSessionStore } from './session.store';

export const CSRF_HEADER = 'x-csrf-token';

interface SessionRequest extends Request {
  consoleSession?: ConsoleSession;
}

/**
 * Global guard: every endpoint but `@Public()` ones needs a live session, and every state-changing request also the
 * session's CSRF token in `X-CSRF-Token` (a page of another origin can neither read it nor set that header).
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: ConsoleSessionStore,
    private readonly config: ConsoleConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const request = context.switchToHttp().getRequest<SessionRequest>();
    const session = this.sessions.find(readSessionCookie(request, this.config));
    if (!session) throw new UnauthorizedException('Log in first: this needs an operator session');
    if (!SAFE_METHODS.has(request.method) && !this.sessions.csrfMatches(session, request.headers[CSRF_HEADER])) {
      throw new ForbiddenException(`This request needs the session's CSRF token in the X-CSRF-Token header`);
    }
    request.consoleSession = session;
    return true;
  }
}

/** The caller's session, on endpoints the SessionGuard let through (not on `@Public()` ones). */
export const CurrentSession = createParamDecorator((_data: unknown, context: ExecutionContext): ConsoleSession => {
  const session = context.switchToHttp().getRequest<SessionRequest>().consoleSession;
  if (!session) throw new Error('@CurrentSession() used on an endpoint without a session (is it @Public()?)');
  return session;
});
