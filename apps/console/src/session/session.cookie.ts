import { parse } from 'cookie';
import type { Request, Response } from 'express';
import { ConsoleConfig } from '../console.config';

/** `__Host-` makes the browser refuse the cookie unless it is Secure, for this host only, with Path=/. */
function cookieName(config: ConsoleConfig): string {
  return config.secureCookies ? '__Host-console-session' : 'console-session';
}

function options(config: ConsoleConfig) {
  return { httpOnly: true, sameSite: 'strict', secure: config.secureCookies, path: '/' } as const;
}

export function readSessionCookie(request: Request, config: ConsoleConfig): string | undefined {
  return parse(request.headers.cookie ?? '')[cookieName(config)];
}

export function setSessionCookie(response: Response, config: ConsoleConfig, id: string, expiresAt: Date): void {
  response.cookie(cookieName(config), id, { ...options(config), expires: expiresAt });
}

export function clearSessionCookie(response: Response, config: ConsoleConfig): void {
  response.clearCookie(cookieName(config), options(config));
}
