import { STATUS_CODES } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { PROBLEM_CONTENT_TYPE, ProblemDetails } from '@app/http';
import { ConsoleConfig } from '../console.config';

/** Methods that change nothing: every other one needs an allowed Origin here and a CSRF token in the guard. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Runs before everything the console serves, static files, SSE and health included: a request for a Host the console
 * does not answer to (a DNS-rebinding page) or from an Origin it does not know is refused before any data is read.
 * An Express middleware rather than a Nest guard, because guards do not see the static files.
 */
export function requestGate(config: ConsoleConfig): RequestHandler {
  const hosts = new Set(config.allowedHosts);
  const origins = new Set(config.allowedOrigins);
  return (request: Request, response: Response, next: NextFunction) => {
    const host = request.headers.host?.toLowerCase();
    if (host === undefined || !hosts.has(host)) {
      return refuse(request, response, 421, 'CONSOLE.HOST_NOT_ALLOWED', 'This console does not answer to that Host');
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !origins.has(origin)) {
      return refuse(request, response, 403, 'CONSOLE.ORIGIN_NOT_ALLOWED', 'Requests from that Origin are refused');
    }
    if (origin === undefined && !SAFE_METHODS.has(request.method)) {
      return refuse(
        request,
        response,
        403,
        'CONSOLE.ORIGIN_REQUIRED',
        `A ${request.method} needs an Origin header naming one of the console's allowed origins`,
      );
    }
    if (request.path.startsWith('/api/')) response.setHeader('Cache-Control', 'no-store');
    next();
  };
}

function refuse(request: Request, response: Response, status: number, code: string, detail: string): void {
  const problem: ProblemDetails = {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance: request.path,
    code,
  };
  response.status(status).type(PROBLEM_CONTENT_TYPE).json(problem);
}
