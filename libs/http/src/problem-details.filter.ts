import { STATUS_CODES } from 'node:http';
import { inspect } from 'node:util';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { FieldError } from '@app/contracts';
import { isDatabaseUnavailable } from '@app/database';
import type { Request, Response } from 'express';
import { Observable, throwError } from 'rxjs';
import { DomainError, DomainErrorKind } from './domain.error';

/** RFC 9457 problem details, with our extensions `code` (DomainError) and `errors` (one per invalid field). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code?: string;
  errors?: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const STATUS_BY_KIND: Record<DomainErrorKind, HttpStatus> = {
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  invalid: HttpStatus.BAD_REQUEST,
  forbidden: HttpStatus.FORBIDDEN,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  'too-large': HttpStatus.PAYLOAD_TOO_LARGE,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
};

const GENERIC_DETAIL = 'An unexpected error occurred';
/** Seconds a caller should wait after a 503: a pool's queue or a restarting server drains in a few. */
export const RETRY_AFTER_SECONDS = 5;

/** Answers every HTTP error as `application/problem+json`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // In a hybrid app the bus decides retry vs dead-letter from the original error, so leave it untouched.
    if (host.getType() !== 'http') return throwError(() => exception);

    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    // The path only: query strings may carry personal data.
    const instance = request.originalUrl.split('?')[0];
    const problem: ProblemDetails = { ...describe(exception), instance };

    if (problem.status >= 500) {
      this.logger.error(`${request.method} ${instance} failed with ${problem.status}`, inspect(exception));
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    if (problem.status === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    if (problem.status === 401 && !response.hasHeader('WWW-Authenticate')) {
      response.setHeader('WWW-Authenticate', 'Bearer');
    }
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).json(problem);
  }
}

function describe(exception: unknown): Omit<ProblemDetails, 'instance'> {
  if (exception instanceof DomainError) {
    const { errors } = exception;
    return {
      ...problem(STATUS_BY_KIND[exception.kind], exception.message),
      code: exception.code,
      ...(errors && { errors }),
    };
  }
  if (exception instanceof HttpException) {
    const body = exception.getResponse();
    const errors = typeof body === 'object' && 'errors' in body && isFieldErrors(body.errors) ? body.errors : undefined;
    return { ...problem(exception.getStatus(), detailOf(body, exception.message)), ...(errors && { errors }) };
  }
  // Nest maps only body-parser's JSON syntax error; its others (413, 415, ...) arrive as raw http-errors.
  if (isClientHttpError(exception)) {
    return problem(exception.status, exception.message);
  }
  // The database gave no connection (pool wait, refused, too many clients, shutting down): the request was fine.
  if (isDatabaseUnavailable(exception)) {
    return {
      ...problem(HttpStatus.SERVICE_UNAVAILABLE, 'The database is unavailable at the moment; retry later'),
      code: 'DATABASE.UNAVAILABLE',
    };
  }
  return problem(HttpStatus.INTERNAL_SERVER_ERROR, GENERIC_DETAIL);
}

function problem(status: number, detail: string): Omit<ProblemDetails, 'instance'> {
  return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail };
}

function detailOf(body: string | object, fallback: string): string {
  if (typeof body === 'string') return body;
  const message = 'message' in body ? body.message : undefined;
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && message.every((item) => typeof item === 'string')) return message.join('; ');
  return fallback;
}

function isFieldErrors(value: unknown): value is FieldError[] {
  return (
    Array.isArray(value) &&
    value.every(
      (item: unknown) =>
        typeof item === 'object' &&
        item !== null &&
        'field' in item &&
        typeof item.field === 'string' &&
        'messages' in item &&
        Array.isArray(item.messages),
    )
  );
}

/** An http-errors 4xx that is safe to show the caller (`expose`). */
function isClientHttpError(value: unknown): value is Error & { status: number } {
  return (
    value instanceof Error &&
    'status' in value &&
    typeof value.status === 'number' &&
    value.status >= 400 &&
    value.status < 500 &&
    'expose' in value &&
    value.expose === true
  );
}
