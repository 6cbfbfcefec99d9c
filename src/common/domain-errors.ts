/**
 * Domain errors: services throw these, never HttpException. The OSB exception filter maps `kind`
 * to the HTTP status and renders `{error?, description}` (or `{}` where OSB wants an empty body).
 */
export type ErrorKind =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'gone'
  | 'precondition-failed'
  | 'payload-too-large'
  | 'unprocessable'
  | 'upstream-failure'
  | 'unavailable';

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  gone: 410,
  'precondition-failed': 412,
  'payload-too-large': 413,
  unprocessable: 422,
  'upstream-failure': 502,
  unavailable: 503,
};

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** OSB error code (CamelCase), e.g. AsyncRequired. */
    readonly errorCode?: string,
    /** OSB answers some cases (410 on unbind/deprovision) with `{}`. */
    readonly emptyBody = false,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends DomainError {
  constructor(message: string) {
    super('bad-request', message);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'missing or invalid bearer token') {
    super('unauthorized', message, 'Unauthorized');
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('forbidden', message, 'Forbidden');
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super('not-found', message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class GoneError extends DomainError {
  constructor(message = 'gone') {
    super('gone', message, undefined, true);
  }
}

export class PreconditionFailedError extends DomainError {
  constructor(message: string) {
    super('precondition-failed', message);
  }
}

export class UnprocessableError extends DomainError {
  constructor(message: string, errorCode?: string) {
    super('unprocessable', message, errorCode);
  }
}

export class AsyncRequiredError extends UnprocessableError {
  constructor() {
    super('This service plan requires client support for asynchronous service operations.', 'AsyncRequired');
  }
}

export class ConcurrencyError extends UnprocessableError {
  constructor(message: string) {
    super(message, 'ConcurrencyError');
  }
}

/** A dependency (Gardener, a runtime's API server) failed; the description must never carry secrets. */
export class UpstreamFailureError extends DomainError {
  constructor(message: string) {
    super('upstream-failure', message);
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor(message: string) {
    super('unavailable', message);
  }
}
