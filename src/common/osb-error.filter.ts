import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isDatabaseUnavailable, isUnstorableInput } from './db-errors';
import { DomainError, STATUS_OF_KIND } from './domain-errors';

export interface ErrorBody {
  error?: string;
  description?: string;
}

const CODE_OF_STATUS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  412: 'PreconditionFailed',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  422: 'UnprocessableEntity',
  503: 'ServiceUnavailable',
};

/** What express' body parser throws (invalid JSON, body too large, bad charset). */
interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
}

function fromBodyParser(err: BodyParserError): { status: number; body: ErrorBody } | undefined {
  if (typeof err?.type !== 'string' || typeof (err.status ?? err.statusCode) !== 'number') {
    return undefined;
  }
  const status = (err.status ?? err.statusCode) as number;
  const description =
    err.type === 'entity.parse.failed'
      ? 'request body is not valid JSON'
      : err.type === 'entity.too.large'
        ? 'request body is too large'
        : err.expose && err.message
          ? err.message
          : 'request body cannot be read';
  return { status, body: { error: CODE_OF_STATUS[status], description } };
}

/** The body @nestjs/terminus throws with when a health check fails: {status, info, error, details}. */
function isHealthCheckResult(response: unknown): response is Record<string, unknown> {
  return typeof response === 'object' && response !== null && 'status' in response && 'details' in response;
}

/**
 * The one place where errors become HTTP answers: domain errors by kind, Nest's HttpExceptions
 * (validation pipe, unknown routes) and body-parser errors with their status; everything else is a
 * 500 without internals, logged with the request id.
 */
@Catch()
export class OsbErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(OsbErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const { status, body } = this.render(exception, req);
    if (res.headersSent) {
      return;
    }
    res.status(status).type('application/json').send(JSON.stringify(body));
  }

  private render(exception: unknown, req: Request): { status: number; body: ErrorBody | Record<string, never> } {
    if (exception instanceof DomainError) {
      const status = STATUS_OF_KIND[exception.kind];
      if (exception.emptyBody) {
        return { status, body: {} };
      }
      return {
        status,
        body: { ...(exception.errorCode ? { error: exception.errorCode } : {}), description: exception.message },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (isHealthCheckResult(response)) {
        // /readyz: operators and probes expect terminus' own body, naming each failed check.
        return { status, body: response };
      }
      let description: string;
      if (typeof response === 'string') {
        description = response;
      } else {
        const message = (response as { message?: unknown }).message;
        description = Array.isArray(message)
          ? message.join('; ')
          : typeof message === 'string'
            ? message
            : exception.message;
      }
      if (status === 404 && description.startsWith('Cannot ')) {
        description = `no route for ${req.method} ${req.path}`;
      }
      return { status, body: { ...(CODE_OF_STATUS[status] ? { error: CODE_OF_STATUS[status] } : {}), description } };
    }
    const parsed = fromBodyParser(exception as BodyParserError);
    if (parsed) {
      return parsed;
    }
    if (isUnstorableInput(exception)) {
      return {
        status: 400,
        body: { error: 'BadRequest', description: 'the request holds characters that cannot be stored (e.g. NUL)' },
      };
    }
    if (isDatabaseUnavailable(exception)) {
      return {
        status: 503,
        body: { error: 'ServiceUnavailable', description: 'the database is not reachable right now; retry later' },
      };
    }
    const id = (req as Request & { id?: unknown }).id;
    this.logger.error(
      {
        err:
          exception instanceof Error
            ? { name: exception.name, message: exception.message, stack: exception.stack }
            : exception,
        reqId: id,
      },
      'unhandled error',
    );
    return {
      status: 500,
      body: {
        error: 'InternalError',
        description: `internal error (request id ${typeof id === 'string' || typeof id === 'number' ? id : 'n/a'})`,
      },
    };
  }
}
